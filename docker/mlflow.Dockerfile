# MLflow tracking server with the drivers the compose stack needs: PostgreSQL (backend store)
# and S3 (MinIO artifact store).
FROM ghcr.io/mlflow/mlflow:v3.18.0
RUN pip install --no-cache-dir psycopg2-binary==2.9.10 boto3==1.40.0
