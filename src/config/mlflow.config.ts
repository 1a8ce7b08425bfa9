import { configNamespace } from './config-namespace';
import { splitTrackingUris } from '../mlflow/tracking-server.pool';

export const mlflowConfig = configNamespace('mlflow', (env) => {
  return {
    /** One tracking server, or a comma-separated list of servers over one backend store. */
    trackingUri: env.MLFLOW_TRACKING_URI,
    trackingUris: splitTrackingUris(env.MLFLOW_TRACKING_URI),
    experimentName: env.MLFLOW_EXPERIMENT_NAME,
    /** Where a browser opens the MLflow UI: MLFLOW_UI_URL, else the tracking URI. */
    uiUrl: (env.MLFLOW_UI_URL ?? splitTrackingUris(env.MLFLOW_TRACKING_URI)[0]).replace(/\/+$/, ''),
    token: env.MLFLOW_TRACKING_TOKEN,
    username: env.MLFLOW_TRACKING_USERNAME,
    password: env.MLFLOW_TRACKING_PASSWORD,
    timeoutMs: env.MLFLOW_HTTP_TIMEOUT_MS,
  };
});
