/** Stable, machine-readable error codes arkgate answers with (the `error.code` field). */
export enum GatewayErrorCode {
  InvalidRequest = 'invalid_request',
  InvalidJson = 'invalid_json',
  NotFound = 'not_found',
  PayloadTooLarge = 'payload_too_large',
  UnsupportedMediaType = 'unsupported_media_type',
  UpstreamNotConfigured = 'upstream_not_configured',
  UpstreamAuthFailed = 'upstream_auth_failed',
  UpstreamRateLimited = 'rate_limit_exceeded',
  UpstreamUnavailable = 'upstream_unavailable',
  UpstreamTimeout = 'upstream_timeout',
  UpstreamBadResponse = 'upstream_bad_response',
  Internal = 'internal_error',
}
