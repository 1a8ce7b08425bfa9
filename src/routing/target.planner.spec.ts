import type { RouteTarget } from './model-route.model';
import { planTargets } from './target.planner';

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function target(id: string, priority: number, weight = 1): RouteTarget {
  return {
    id,
    model: id,
    baseUrl: 'https://ark.example.com/api/v3',
    host: 'ark.example.com',
    apiKey: 'k',
    weight,
    priority,
  };
}

const ids = (targets: RouteTarget[]) => targets.map((t) => t.id);

describe(planTargets.name, () => {
  it('orders by priority, lowest first, whatever the weights', () => {
    const targets = [target('c', 3, 100), target('a', 1, 0.01), target('b', 2, 50)];
    const random = mulberry32(1);

    for (let i = 0; i < 100; i += 1) {
      expect(ids(planTargets(targets, random))).toEqual(['a', 'b', 'c']);
    }
  });

  it('gives the first place in proportion to weight', () => {
    const targets = [target('heavy', 1, 3), target('light', 1, 1)];
    const random = mulberry32(42);
    const runs = 10_000;
    let heavyFirst = 0;

    for (let i = 0; i < runs; i += 1) {
      if (planTargets(targets, random)[0].id === 'heavy') heavyFirst += 1;
    }

    expect(heavyFirst / runs).toBeGreaterThanOrEqual(0.73);
    expect(heavyFirst / runs).toBeLessThanOrEqual(0.77);
  });

  it('shuffles only within a priority', () => {
    const targets = [target('a1', 1), target('b1', 2), target('a2', 1), target('b2', 2)];
    const random = mulberry32(7);
    const seen = new Set<string>();

    for (let i = 0; i < 200; i += 1) {
      const plan = ids(planTargets(targets, random));
      expect(plan.slice(0, 2).sort()).toEqual(['a1', 'a2']);
      expect(plan.slice(2).sort()).toEqual(['b1', 'b2']);
      seen.add(plan.join());
    }

    expect(seen.size).toBe(4);
  });

  it('puts a target of weight 0 last in its priority', () => {
    const targets = [
      target('spare', 1, 0),
      target('a', 1, 1),
      target('b', 1, 0.001),
      target('z', 2),
    ];
    const random = mulberry32(3);

    for (let i = 0; i < 1_000; i += 1) {
      const plan = ids(planTargets(targets, random));
      expect(plan[2]).toBe('spare');
      expect(plan[3]).toBe('z');
    }
  });

  it('keeps every target in the plan', () => {
    const targets = [
      target('a', 1, 2),
      target('b', 1, 0),
      target('c', 2, 5),
      target('d', 2, 1),
      target('e', 0, 1),
    ];
    const random = mulberry32(11);

    for (let i = 0; i < 500; i += 1) {
      expect(ids(planTargets(targets, random)).sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    }
  });

  it('puts a target of weight 0 last even when the random source returns 0', () => {
    const targets = [target('spare', 1, 0), target('a', 1, 1)];

    expect(ids(planTargets(targets, () => 0))).toEqual(['a', 'spare']);
  });

  it('leaves the given list as it is', () => {
    const targets = [target('b', 2), target('a', 1)];
    planTargets(targets, mulberry32(5));

    expect(ids(targets)).toEqual(['b', 'a']);
  });
});
