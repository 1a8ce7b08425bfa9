/** Injection token of the parsed {@link ApiKeyEntry} list. */
export const API_KEYS = Symbol('API_KEYS');

/** Injection token of the {@link RateLimitStore} (Redis or in-memory). */
export const RATE_LIMIT_STORE = Symbol('RATE_LIMIT_STORE');

/** Query parameter that carries a browser token where headers cannot (EventSource). */
export const ACCESS_TOKEN_QUERY = 'access_token';

/** Prefix of browser tokens, so they are never mistaken for API keys. */
export const TOKEN_PREFIX = 'agt_';

/** Trace metadata key naming the API key a request was made with. */
export const CALLER_METADATA = 'arkgate.caller';

/** Routes a browser token may call: `METHOD /route/pattern` as Fastify names it. */
export const TOKEN_ROUTES: ReadonlySet<string> = new Set([
  'POST /v1/chat',
  'POST /v1/chat/stream',
  'GET /v1/chat/stream',
  'POST /v1/traces/:traceId/feedback',
]);
