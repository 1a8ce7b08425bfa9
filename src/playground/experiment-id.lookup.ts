import type { MlflowClient } from '../mlflow/mlflow.client';
import { MlflowPath } from '../mlflow/mlflow.constants';

/**
 * The id of the experiment traces go to, for links into the MLflow UI. Read-only (creating the
 * experiment is the exporter's job) and best effort: null while MLflow is unreachable or the
 * experiment does not exist yet. A found id is kept; a miss is asked again next time.
 */
export class ExperimentIdLookup {
  private found: string | undefined;
  private pending: Promise<string | null> | undefined;

  constructor(
    private readonly client: MlflowClient,
    private readonly experimentName: string,
  ) {}

  /** Never rejects. */
  resolve(): Promise<string | null> {
    if (this.found !== undefined) return Promise.resolve(this.found);
    this.pending ??= this.lookUp().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async lookUp(): Promise<string | null> {
    try {
      const answer = await this.client.get<{ experiment?: { experiment_id?: string } }>(
        MlflowPath.experimentByName,
        { experiment_name: this.experimentName },
      );
      const id = answer?.experiment?.experiment_id;
      if (!id) return null;
      this.found = String(id);
      return this.found;
    } catch {
      return null;
    }
  }
}
