import type { ConfigType } from '@nestjs/config';
import type { Params } from 'nestjs-pino';
import type { appConfig } from '../config/app.config';

/** Header values that must never reach a log line, wherever a serializer puts the headers. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers["x-api-key"]',
  'headers.cookie',
];

/**
 * JSON lines on stdout at LOG_LEVEL (`silent` writes nothing). pino-http only binds a request id
 * to the lines logged during a request; the one line per request is the request log hook's.
 */
export function loggerOptions(config: ConfigType<typeof appConfig>): Params {
  return {
    pinoHttp: [
      {
        level: config.logLevel,
        redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
        autoLogging: false,
        quietReqLogger: true,
        base: { service: 'arkgate' },
      },
      // Through process.stdout (synchronous for files and pipes): no line is lost on exit.
      process.stdout,
    ],
  };
}
