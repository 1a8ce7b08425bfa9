import { RecentTraceIds } from './recent-trace-ids';

describe('RecentTraceIds', () => {
  it('keeps the last ids up to its capacity and forgets the oldest first', () => {
    const sut = new RecentTraceIds(2);

    sut.add('tr-1');
    sut.add('tr-2');
    sut.add('tr-3');

    expect(sut.has('tr-1')).toBe(false);
    expect(sut.has('tr-2')).toBe(true);
    expect(sut.has('tr-3')).toBe(true);
  });

  it('counts an id added twice once', () => {
    const sut = new RecentTraceIds(2);

    sut.add('tr-1');
    sut.add('tr-1');
    sut.add('tr-2');

    expect(sut.has('tr-1')).toBe(true);
    expect(sut.has('tr-2')).toBe(true);
  });

  it('forgets in order over many turns of its capacity', () => {
    const sut = new RecentTraceIds(3);

    for (let i = 0; i < 10; i++) sut.add(`tr-${i}`);

    expect([6, 7, 8, 9].map((i) => sut.has(`tr-${i}`))).toEqual([false, true, true, true]);
  });
});
