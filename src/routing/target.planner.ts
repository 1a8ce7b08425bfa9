import type { RouteTarget } from './model-route.model';

/**
 * The order a route's targets are tried in for one call: by priority, lowest first; within a
 * priority, a random order weighted by `weight` (a weighted shuffle: the first place goes to each
 * target in proportion to its weight), so load spreads as configured and every target stays
 * available as a fallback.
 */
export function planTargets(
  targets: readonly RouteTarget[],
  random: () => number = Math.random,
): RouteTarget[] {
  // Efraimidis-Spirakis: sort by u^(1/w), u uniform in (0, 1]; weight 0 sorts last.
  const keyed = targets.map((target) => ({
    target,
    key: target.weight > 0 ? Math.pow(1 - random(), 1 / target.weight) : -1,
  }));
  return keyed
    .sort((a, b) => a.target.priority - b.target.priority || b.key - a.key)
    .map(({ target }) => target);
}
