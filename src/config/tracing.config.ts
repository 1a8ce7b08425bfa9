import { registerAs } from '@nestjs/config';
import { APP_VERSION } from './app-version';
import { parseRedactionRules } from '../tracing/redaction-rules.parser';
import { validateEnv } from './env.validation';

export const tracingConfig = registerAs('tracing', () => {
  const env = validateEnv(process.env);
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
