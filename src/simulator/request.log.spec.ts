import { RequestLog } from './request.log';
import { SimulatorRequest } from './simulator-request.model';

const entry = (id: string): SimulatorRequest => ({
  id,
  method: 'POST',
  path: '/',
  headers: {},
  body: undefined,
  aborted: false,
  completed: false,
});

describe(RequestLog.name, () => {
  it('keeps entries in order and drops the oldest past its bound', () => {
    const sut = new RequestLog(true, 2);

    sut.add(entry('a'));
    sut.add(entry('b'));
    sut.add(entry('c'));

    expect(sut.requests.map((request) => request.id)).toEqual(['b', 'c']);
  });

  it('keeps nothing when disabled', () => {
    const sut = new RequestLog(false, 10);

    sut.add(entry('a'));

    expect(sut.requests).toEqual([]);
  });

  it('resolves a waiter when a later change makes an entry match', async () => {
    const sut = new RequestLog(true, 10);
    const request = entry('a');
    sut.add(request);
    const waiting = sut.waitFor((candidate) => candidate.aborted, 1000);

    request.aborted = true;
    sut.changed();

    await expect(waiting).resolves.toBe(request);
  });

  it('resolves at once when an entry already matches', async () => {
    const sut = new RequestLog(true, 10);
    sut.add(entry('a'));

    await expect(sut.waitFor((candidate) => candidate.id === 'a', 10)).resolves.toMatchObject({
      id: 'a',
    });
  });
});
