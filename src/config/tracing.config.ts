import { configNamespace } from './config-namespace';
import { APP_VERSION } from './app-version';
import { parseRedactionRules } from '../tracing/redaction-rules.parser';

export const tracingConfig = configNamespace('tracing', (env) => {
  return {
    enabled: env.TRACING_ENABLED,
    captureContent: env.TRACE_CAPTURE_CONTENT,
    /** Parsed here so a bad TRACE_REDACT regex stops the boot. */
    redactionRules: parseRedactionRules(env.TRACE_REDACT),
    maxAttributeBytes: env.TRACE_MAX_ATTRIBUTE_BYTES,
    version: APP_VERSION,
    environment: env.ARKGATE_ENVIRONMENT ?? env.NODE_ENV,
    /** How long a trace waits for child spans still open after its root span ended. */
    spanGraceMs: 5_000,
  };
});
