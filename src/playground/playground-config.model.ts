/** What the playground page reads first (`GET /playground/config.json`). */
export interface PlaygroundConfigDto {
  /** Whether /v1 needs an API key (false only with GATEWAY_AUTH=off). */
  authRequired: boolean;
  /** Whether POST /v1/tokens mints browser tokens (GATEWAY_TOKEN_SECRET is set). */
  tokensEnabled: boolean;
  /** Whether calls are traced, i.e. whether answers carry a trace id. */
  tracingEnabled: boolean;
  /** The MLflow UI as a browser reaches it (MLFLOW_UI_URL, else the tracking URI). */
  mlflowUiUrl: string | null;
  experimentName: string;
  /** Null while MLflow is unreachable or no trace was exported yet. */
  experimentId: string | null;
  /** ARK_DEFAULT_MODEL, or '' when unset. */
  defaultModel: string;
  /** PLAYGROUND_KEY_HINT: a key the key form suggests (the demo's); null when unset. */
  keyHint: string | null;
}
