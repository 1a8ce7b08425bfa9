import { GatewayError } from '../common/errors/gateway.error';
import { withIdleTimeout } from './idle-timeout.iterator';

async function* items(values: number[]) {
  for (const value of values) yield value;
}

/** Yields `first`, then never answers again; `onReturn` sees the source being closed. */
function hanging(first: number, onReturn: () => void): AsyncIterable<number> {
  return {
    [Symbol.asyncIterator]: () => {
      let calls = 0;
      return {
        next: () =>
          calls++ === 0
            ? Promise.resolve({ done: false, value: first })
            : new Promise<IteratorResult<number>>(() => undefined),
        return: () => {
          onReturn();
          return Promise.resolve({ done: true, value: undefined });
        },
      };
    },
  };
}

describe(withIdleTimeout.name, () => {
  it('passes every item on when the source keeps talking', async () => {
    const abort = jest.fn();
    const seen: number[] = [];

    for await (const value of withIdleTimeout(items([1, 2, 3]), 1_000, abort)) seen.push(value);

    expect(seen).toEqual([1, 2, 3]);
    expect(abort).not.toHaveBeenCalled();
  });

  it('aborts and throws upstream_timeout when the source goes quiet', async () => {
    const abort = jest.fn();
    const returned = jest.fn();
    const seen: number[] = [];

    const run = async () => {
      for await (const value of withIdleTimeout(hanging(7, returned), 20, abort)) seen.push(value);
    };

    await expect(run()).rejects.toMatchObject({ code: 'upstream_timeout', status: 504 });
    await expect(run()).rejects.toBeInstanceOf(GatewayError);
    expect(seen).toEqual([7, 7]);
    expect(abort).toHaveBeenCalledTimes(2);
    expect(returned).toHaveBeenCalled();
  });

  it('closes the source when the caller stops early', async () => {
    const returned = jest.fn();

    for await (const value of withIdleTimeout(hanging(1, returned), 1_000, jest.fn())) {
      expect(value).toBe(1);
      break;
    }

    expect(returned).toHaveBeenCalledTimes(1);
  });
});
