import { RequestLedger } from './request-ledger';

describe(RequestLedger.name, () => {
  it('reports only the total when nothing went upstream', () => {
    const sut = new RequestLedger();

    expect(sut.header(1.234)).toBe('total;dur=1.23');
  });

  it('sums every upstream attempt before the total', () => {
    const sut = new RequestLedger();
    sut.addUpstream(20.5);
    sut.addUpstream(10.25);

    expect(sut.header(32)).toBe('upstream;dur=30.75, total;dur=32.00');
  });
});
