import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  isURL,
  Max,
  Min,
  ValidateBy,
} from 'class-validator';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

// Reads the raw value: implicit conversion would already have turned "false" into true.
const toBoolean = ({ obj, key }: { obj: Record<string, unknown>; key: string }): unknown => {
  const value = obj[key];
  if (typeof value !== 'string') return value;
  const normalized = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(normalized)) return true;
  if (['false', '0', 'no', 'off'].includes(normalized)) return false;
  return value;
};

const httpUrl = { require_tld: false, protocols: ['http', 'https'], require_protocol: true };

/** Every environment variable arkgate reads, with its default. This is the public interface. */
export class EnvironmentVariables {
  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: string = 'production';

  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = 3000;

  @IsString()
  HOST: string = '0.0.0.0';

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: LogLevel = 'info';

  @IsOptional()
  @IsString()
  ARK_API_KEY?: string;

  @IsUrl(httpUrl)
  ARK_BASE_URL: string = 'https://ark.ap-southeast.bytepluses.com/api/v3';

  @IsOptional()
  @IsString()
  ARK_DEFAULT_MODEL?: string;

  @IsInt()
  @Min(1)
  ARK_TIMEOUT_MS: number = 600_000;

  @IsInt()
  @Min(0)
  @Max(10)
  ARK_MAX_RETRIES: number = 2;

  /** Seconds a chat completion answer is kept for identical requests; 0: off by default. */
  @IsInt()
  @Min(0)
  CACHE_TTL_SECONDS: number = 0;

  /** The longest `x-arkgate-cache: max-age=N` a request may ask for. */
  @IsInt()
  @Min(1)
  CACHE_MAX_TTL_SECONDS: number = 86_400;

  /** Without Redis, the answers kept in memory. */
  @IsInt()
  @Min(1)
  CACHE_MAX_ENTRIES: number = 1_000;

  /** Model aliases with ordered targets, fallbacks and prices (YAML or JSON); see the README. */
  @IsOptional()
  @IsString()
  ROUTES_FILE?: string;

  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['redis', 'rediss'], require_protocol: true })
  REDIS_URL?: string;

  /** Redis behind Sentinel: the sentinels as `host:port,host:port` (instead of REDIS_URL). */
  @IsOptional()
  @IsString()
  REDIS_SENTINELS?: string;

  /** The master group the sentinels watch (`sentinel monitor <name> ...`). */
  @IsString()
  REDIS_SENTINEL_MASTER_NAME: string = 'mymaster';

  @IsOptional()
  @IsString()
  REDIS_SENTINEL_PASSWORD?: string;

  @Transform(toBoolean)
  @IsBoolean()
  REDIS_SENTINEL_TLS: boolean = false;

  /** A Redis Cluster: some of its nodes as `host:port,host:port` (instead of REDIS_URL). */
  @IsOptional()
  @IsString()
  REDIS_CLUSTER_NODES?: string;

  /** The data nodes' ACL user and password (with REDIS_URL, the URL's own win). */
  @IsOptional()
  @IsString()
  REDIS_USERNAME?: string;

  @IsOptional()
  @IsString()
  REDIS_PASSWORD?: string;

  /** TLS to the data nodes (`rediss://` does the same for REDIS_URL). */
  @Transform(toBoolean)
  @IsBoolean()
  REDIS_TLS: boolean = false;

  /** The database behind Sentinel (REDIS_URL names its own; a Cluster has only 0). */
  @IsInt()
  @Min(0)
  @Max(15)
  REDIS_DB: number = 0;

  /**
   * Replicas that must hold a queued job before the trace it carries leaves the spool (Redis
   * WAIT), so a failover cannot lose it: 1 by default with Sentinel and Cluster, 0 for REDIS_URL.
   */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10)
  REDIS_WAIT_REPLICAS?: number;

  /** Below the queue connection's 5 s command timeout, so a WAIT with no answer ends as one. */
  @IsInt()
  @Min(1)
  @Max(4_000)
  REDIS_WAIT_TIMEOUT_MS: number = 500;

  /** BullMQ's key prefix: `bull` by default, `{arkgate}` on a Cluster (it must hold a `{hash tag}`). */
  @IsOptional()
  @IsString()
  QUEUE_PREFIX?: string;

  /**
   * The tracking server, or a comma-separated list of servers over one backend store (the worker
   * spreads exports over them and skips one that is down).
   */
  @ValidateBy({
    name: 'isHttpUrlList',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' &&
        value.split(',').some((url) => url.trim() !== '') &&
        value
          .split(',')
          .map((url) => url.trim())
          .every((url) => url === '' || isURL(url, httpUrl)),
      defaultMessage: () => 'must be an http(s) URL, or a comma-separated list of them',
    },
  })
  MLFLOW_TRACKING_URI: string = 'http://localhost:5000';

  @IsString()
  MLFLOW_EXPERIMENT_NAME: string = 'BytePlus';

  /**
   * The MLflow UI as a browser reaches it (trace links in the playground); defaults to
   * MLFLOW_TRACKING_URI, which is often an in-cluster address a browser cannot open.
   */
  @IsOptional()
  @IsUrl(httpUrl)
  MLFLOW_UI_URL?: string;

  @IsInt()
  @Min(1024)
  MAX_BODY_BYTES: number = 4 * 1024 * 1024;

  @IsInt()
  @Min(1000)
  SSE_KEEPALIVE_MS: number = 15_000;

  @Transform(toBoolean)
  @IsBoolean()
  DOCS_ENABLED: boolean = true;

  /** Serves the browser playground at /playground (static page, no secrets in it). */
  @Transform(toBoolean)
  @IsBoolean()
  PLAYGROUND_ENABLED: boolean = true;

  @Transform(toBoolean)
  @IsBoolean()
  TRACING_ENABLED: boolean = true;

  @Transform(toBoolean)
  @IsBoolean()
  TRACE_CAPTURE_CONTENT: boolean = true;

  /**
   * Masks trace content before export: comma-separated field names (values become "[REDACTED]"),
   * `email`, `phone`, `card` or `re:<regex>` (matches become "[REDACTED:<kind>]").
   */
  @IsOptional()
  @IsString()
  TRACE_REDACT?: string;

  /** A span input, output or attribute whose JSON is larger is replaced by a truncation marker. */
  @IsInt()
  @Min(1024)
  TRACE_MAX_ATTRIBUTE_BYTES: number = 1_000_000;

  /** Messages per chat request. */
  @IsInt()
  @Min(1)
  MAX_MESSAGES: number = 1_000;

  /** Characters of text per message (string content, or the sum of its text parts). */
  @IsInt()
  @Min(1)
  MAX_MESSAGE_CHARS: number = 1_000_000;

  /** Upper bound of max_tokens / max_completion_tokens / max_output_tokens; unset = none. */
  @IsOptional()
  @IsInt()
  @Min(1)
  MAX_TOKENS_CEILING?: number;

  /** A stream whose upstream sends nothing for this long is aborted with an error event. */
  @IsInt()
  @Min(100)
  STREAM_IDLE_TIMEOUT_MS: number = 120_000;

  @IsOptional()
  @IsString()
  MLFLOW_TRACKING_TOKEN?: string;

  @IsOptional()
  @IsString()
  MLFLOW_TRACKING_USERNAME?: string;

  @IsOptional()
  @IsString()
  MLFLOW_TRACKING_PASSWORD?: string;

  @IsInt()
  @Min(100)
  MLFLOW_HTTP_TIMEOUT_MS: number = 30_000;

  @Transform(toBoolean)
  @IsBoolean()
  WORKER_ENABLED: boolean = true;

  /** The standalone worker (`dist/worker.js`) serves /metrics and /health/live here; 0: none. */
  @IsInt()
  @Min(0)
  @Max(65535)
  WORKER_METRICS_PORT: number = 9464;

  /** Export requests (batches) in flight at once. */
  @IsInt()
  @Min(1)
  @Max(64)
  EXPORT_CONCURRENCY: number = 2;

  /** Traces per OTLP request at most. */
  @IsInt()
  @Min(1)
  @Max(1_000)
  EXPORT_BATCH_SIZE: number = 100;

  /** How long a trace waits for others to share its request. */
  @IsInt()
  @Min(0)
  @Max(10_000)
  EXPORT_BATCH_WAIT_MS: number = 200;

  /**
   * How long a finished trace waits in the API process for others to share its Redis round trip
   * (one write for the batch); 0: only the traces of one event-loop turn go together.
   */
  @IsInt()
  @Min(0)
  @Max(1_000)
  EXPORT_HANDOFF_WAIT_MS: number = 10;

  /** OTLP request bodies above this are split. */
  @IsInt()
  @Min(65_536)
  EXPORT_BATCH_MAX_BYTES: number = 4 * 1024 * 1024;

  /** `auto`: StartTraceV3 only on servers whose OTLP ingest cannot derive the trace info (< 3.14). */
  @IsIn(['auto', 'always'])
  EXPORT_TRACE_INFO: 'auto' | 'always' = 'auto';

  /** A key the playground's key form suggests (the demo's own; never set it in production). */
  @IsOptional()
  @IsString()
  PLAYGROUND_KEY_HINT?: string;

  @IsInt()
  @Min(1)
  EXPORT_MAX_ATTEMPTS: number = 60;

  @IsInt()
  @Min(10)
  EXPORT_RETRY_BASE_MS: number = 1_000;

  @IsInt()
  @Min(10)
  EXPORT_RETRY_MAX_DELAY_MS: number = 300_000;

  /** Traces held in memory while Redis is down, when the disk spool is off (or without Redis). */
  @IsInt()
  @Min(1)
  EXPORT_BUFFER_SIZE: number = 10_000;

  /** Where traces wait on disk while Redis is down (one directory per process). */
  @IsString()
  EXPORT_SPOOL_DIR: string = 'data/spool';

  /** Bound of the disk spool; 0 turns it off (traces then wait in memory). */
  @IsInt()
  @Min(0)
  EXPORT_SPOOL_MAX_BYTES: number = 1024 * 1024 * 1024;

  @IsInt()
  @Min(1)
  EXPORT_KEEP_COMPLETED: number = 1_000;

  @IsInt()
  @Min(1)
  EXPORT_KEEP_FAILED: number = 10_000;

  @IsOptional()
  @IsString()
  ARKGATE_ENVIRONMENT?: string;

  /** How long an alias (`prompts:/name@alias`) is trusted before it is looked up again. */
  @IsInt()
  @Min(1)
  PROMPT_CACHE_TTL_SECONDS: number = 60;

  /** Bound of the in-process layer in front of the Redis prompt cache. */
  @IsInt()
  @Min(1)
  PROMPT_CACHE_MAX_ENTRIES: number = 500;

  /** Per prompt registry call, and how long requests wait on a shared look-up. */
  @IsInt()
  @Min(100)
  PROMPT_FETCH_TIMEOUT_MS: number = 5_000;

  /** How long a feedback job waits for its trace to reach MLflow before it fails. */
  @IsInt()
  @Min(1)
  FEEDBACK_TRACE_WAIT_SECONDS: number = 600;

  @IsInt()
  @Min(1)
  FEEDBACK_MAX_ATTEMPTS: number = 60;

  /** Client keys: `name:key[:rpm[:tpm]]` pairs, comma-separated, or a path to a file of such lines. */
  @IsOptional()
  @IsString()
  GATEWAY_API_KEYS?: string;

  /** `off` accepts /v1 requests without credentials; only honoured when set explicitly. */
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim().toLowerCase() : value,
  )
  @IsIn(['on', 'off'])
  GATEWAY_AUTH: 'on' | 'off' = 'on';

  /**
   * HMAC-SHA256 secret of browser tokens (POST /v1/tokens); without it no tokens are minted.
   * At least 32 characters, checked in auth.config.ts so a bad secret is never printed.
   */
  @IsOptional()
  @IsString()
  GATEWAY_TOKEN_SECRET?: string;

  @IsInt()
  @Min(1)
  GATEWAY_TOKEN_MAX_TTL_SECONDS: number = 3_600;

  @IsInt()
  @Min(1)
  GATEWAY_TOKEN_DEFAULT_TTL_SECONDS: number = 900;

  /** Requests per minute per API key (tokens count against the key that minted them); 0 = off. */
  @IsInt()
  @Min(0)
  RATE_LIMIT_RPM: number = 0;

  /** Reported LLM tokens per minute per API key; 0 = off. */
  @IsInt()
  @Min(0)
  RATE_LIMIT_TPM: number = 0;

  /** Readiness fails while more traces than this wait for export (queue backlog + buffered). */
  @IsInt()
  @Min(1)
  READY_MAX_EXPORT_BACKLOG: number = 50_000;

  /** How long readiness waits for MLflow's /health answer. */
  @IsInt()
  @Min(100)
  READY_MLFLOW_TIMEOUT_MS: number = 2_000;

  /**
   * Whether an unreachable MLflow makes arkgate not ready. Off by default: exports wait in the
   * queue, so serving does not depend on MLflow (a long outage shows as the export backlog).
   */
  @Transform(toBoolean)
  @IsBoolean()
  READY_REQUIRES_MLFLOW: boolean = false;

  /**
   * Whether a Redis that is down makes arkgate not ready. On by default (one replica, nothing to
   * fail over to); off where every replica shares one Redis (traces spool to disk meanwhile, so
   * taking every replica out of rotation at once would only turn a Redis failover into an outage).
   */
  @Transform(toBoolean)
  @IsBoolean()
  READY_REQUIRES_REDIS: boolean = true;

  /** Origins allowed by CORS, comma-separated; unset sends no CORS headers. */
  @IsOptional()
  @IsString()
  CORS_ORIGINS?: string;

  /** How long SIGTERM waits for in-flight requests and streams before closing anyway. */
  @IsInt()
  @Min(0)
  SHUTDOWN_TIMEOUT_MS: number = 25_000;
}
