/** Span attributes naming the alias a call asked for and the target that served it. */
export const ROUTE_ATTRIBUTES = {
  alias: 'arkgate.route.alias',
  target: 'arkgate.route.target',
  /** The host of the target's base URL (OpenTelemetry's name for it). */
  host: 'server.address',
} as const;

/** What an LLM span of a routed call carries besides the request: alias, target and its host. */
export function routeSpanAttributes(
  alias: string,
  target: { id: string; host: string },
): Record<string, string> {
  return {
    [ROUTE_ATTRIBUTES.alias]: alias,
    [ROUTE_ATTRIBUTES.target]: target.id,
    [ROUTE_ATTRIBUTES.host]: target.host,
  };
}
