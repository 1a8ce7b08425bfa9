/** Span attribute keys MLflow reads (mlflow/tracing/constant.py `SpanAttributeKey`). */
export const MlflowSpanAttribute = {
  traceRequestId: 'mlflow.traceRequestId',
  spanType: 'mlflow.spanType',
  spanInputs: 'mlflow.spanInputs',
  spanOutputs: 'mlflow.spanOutputs',
  logLevel: 'mlflow.spanLogLevel',
  chatTools: 'mlflow.chat.tools',
  chatTokenUsage: 'mlflow.chat.tokenUsage',
  llmModel: 'mlflow.llm.model',
  llmProvider: 'mlflow.llm.provider',
  llmCost: 'mlflow.llm.cost',
  messageFormat: 'mlflow.message.format',
  linkedPrompts: 'mlflow.linkedPrompts',
  traceTagPrefix: 'mlflow.traceTag.',
  sessionId: 'session.id',
  conversationId: 'gen_ai.conversation.id',
  userId: 'user.id',
} as const;

/** `mlflow.spanLogLevel` values (Python's logging levels), which the UI's verbosity filter reads. */
export const MlflowSpanLogLevel = {
  debug: 10,
  info: 20,
  error: 40,
} as const;

/** Span types MLflow shows at INFO by default (the user-visible operations); others are DEBUG. */
export const MLFLOW_INFO_SPAN_TYPES: ReadonlySet<string> = new Set([
  'LLM',
  'CHAT_MODEL',
  'TOOL',
  'RETRIEVER',
  'AGENT',
  'EMBEDDING',
]);

/** Span event names and event attribute keys. */
export const MlflowSpanEvent = {
  exception: 'exception',
  exceptionType: 'exception.type',
  exceptionMessage: 'exception.message',
  exceptionStacktrace: 'exception.stacktrace',
} as const;

/** Trace metadata keys (immutable per trace). */
export const MlflowTraceMetadata = {
  schemaVersion: 'mlflow.trace_schema.version',
  tokenUsage: 'mlflow.trace.tokenUsage',
  cost: 'mlflow.trace.cost',
  session: 'mlflow.trace.session',
  user: 'mlflow.trace.user',
  infoFinalized: 'mlflow.trace.infoFinalized',
  sourceName: 'mlflow.source.name',
  traceInputs: 'mlflow.traceInputs',
  traceOutputs: 'mlflow.traceOutputs',
} as const;

export const MLFLOW_TRACE_SCHEMA_VERSION = '3';

/** Trace tag keys (mutable). */
export const MlflowTraceTag = {
  traceName: 'mlflow.traceName',
  linkedPrompts: 'mlflow.linkedPrompts',
  artifactLocation: 'mlflow.artifactLocation',
  spansLocation: 'mlflow.trace.spansLocation',
} as const;

export const MlflowSpansLocation = {
  trackingStore: 'TRACKING_STORE',
  artifactRepo: 'ARTIFACT_REPO',
} as const;
export type MlflowSpansLocation = (typeof MlflowSpansLocation)[keyof typeof MlflowSpansLocation];

export const MLFLOW_TRACE_ID_PREFIX = 'tr-';
export const MLFLOW_ARTIFACTS_SCHEME = 'mlflow-artifacts:';
export const MLFLOW_TRACE_DATA_FILE = 'traces.json';

export const MlflowHeader = {
  experimentId: 'x-mlflow-experiment-id',
} as const;

export const MlflowContentType = {
  json: 'application/json',
  protobuf: 'application/x-protobuf',
} as const;

/** REST paths, relative to the tracking URI. */
export const MlflowPath = {
  otlpTraces: '/v1/traces',
  startTrace: '/api/3.0/mlflow/traces',
  traceInfo: (traceId: string) => `/api/3.0/mlflow/traces/${encodeURIComponent(traceId)}`,
  linkPrompts: '/api/2.0/mlflow/traces/link-prompts',
  assessments: (traceId: string) =>
    `/api/3.0/mlflow/traces/${encodeURIComponent(traceId)}/assessments`,
  registeredModel: '/api/2.0/mlflow/registered-models/get',
  registeredModelAlias: '/api/2.0/mlflow/registered-models/alias',
  modelVersion: '/api/2.0/mlflow/model-versions/get',
  artifacts: '/api/2.0/mlflow-artifacts/artifacts',
  experimentByName: '/api/2.0/mlflow/experiments/get-by-name',
  createExperiment: '/api/2.0/mlflow/experiments/create',
  restoreExperiment: '/api/2.0/mlflow/experiments/restore',
  version: '/version',
  health: '/health',
} as const;

/** MLflow `error_code` values arkgate reacts to. */
export const MlflowErrorCode = {
  resourceAlreadyExists: 'RESOURCE_ALREADY_EXISTS',
  resourceDoesNotExist: 'RESOURCE_DOES_NOT_EXIST',
  invalidParameterValue: 'INVALID_PARAMETER_VALUE',
  temporarilyUnavailable: 'TEMPORARILY_UNAVAILABLE',
  networkError: 'NETWORK_ERROR',
  timeout: 'TIMEOUT',
} as const;

/**
 * Client-side limits the Python SDK applies (mlflow/tracing/constant.py). The server rejects a
 * session id over 250 chars or a trace name over 4096 with a permanent 400, so values are cut.
 */
export const MlflowLimit = {
  previewChars: 1000,
  metadataValueChars: 250,
  tagKeyChars: 250,
  tagValueChars: 4096,
} as const;

export const TRUNCATION_SUFFIX = '...';

/** Tags that make a registered model and its versions a prompt (mlflow/prompt/constants.py). */
export const MlflowPromptTag = {
  isPrompt: 'mlflow.prompt.is_prompt',
  text: 'mlflow.prompt.text',
  type: '_mlflow_prompt_type',
  modelConfig: '_mlflow_prompt_model_config',
  responseFormat: '_mlflow_prompt_response_format',
} as const;

/** `_mlflow_prompt_type` values. */
export const MlflowPromptType = {
  text: 'text',
  chat: 'chat',
} as const;

/** The alias the registry resolves to the newest version; it cannot be set by hand. */
export const MLFLOW_LATEST_ALIAS = 'latest';

/** Who wrote an assessment (assessments.proto `AssessmentSource.SourceType`). */
export const MlflowAssessmentSourceType = {
  human: 'HUMAN',
  llmJudge: 'LLM_JUDGE',
  code: 'CODE',
} as const;
