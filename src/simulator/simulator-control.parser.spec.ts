import { SimulatorControlParser } from './simulator-control.parser';
import { SimulatorError } from './simulator.error';

describe(SimulatorControlParser.name, () => {
  let sut: SimulatorControlParser;

  beforeEach(() => {
    sut = new SimulatorControlParser();
  });

  it('reads an empty control when neither header nor body field is present', () => {
    expect(sut.parse(undefined, { model: 'm' })).toEqual({});
    expect(sut.parse('  ', undefined)).toEqual({});
  });

  it('maps snake_case fields from the header', () => {
    const control = sut.parse(
      JSON.stringify({
        scenario: 'error-429',
        retry_after: 3,
        retry_after_ms: 5,
        key: 'k',
        latency_ms: 10,
        token_delay_ms: 2,
        tokens: 100,
      }),
      undefined,
    );

    expect(control).toEqual({
      scenario: 'error-429',
      retryAfter: 3,
      retryAfterMs: 5,
      key: 'k',
      latencyMs: 10,
      tokenDelayMs: 2,
      tokens: 100,
    });
  });

  it('lets header fields win over body fields', () => {
    const control = sut.parse('{"tokens":5}', { simulator: { tokens: 9, latency_ms: 4 } });

    expect(control).toMatchObject({ tokens: 5, latencyMs: 4 });
  });

  it('applies a scenario limited to some models only to requests for them', () => {
    const control = { scenario: 'error-500', models: ['seed-a'] };

    expect(sut.parse(undefined, { model: 'seed-a', simulator: control })).toMatchObject({
      scenario: 'error-500',
    });
    expect(sut.parse(undefined, { model: 'seed-b', simulator: control }).scenario).toBeUndefined();
  });

  it.each([
    ['models that are not an array of names', '{"models":"seed-a"}', undefined, 'simulator.models'],
    ['a header that is not JSON', '{', undefined, 'x-simulator'],
    ['a header that is not an object', '[1]', undefined, 'x-simulator'],
    ['a body field that is not an object', undefined, { simulator: 'hang' }, 'simulator'],
    ['an unknown scenario', '{"scenario":"explode"}', undefined, 'simulator.scenario'],
    ['a negative latency', '{"latency_ms":-1}', undefined, 'simulator.latency_ms'],
    ['fractional tokens', '{"tokens":1.5}', undefined, 'simulator.tokens'],
    ['zero tokens', '{"tokens":0}', undefined, 'simulator.tokens'],
    ['too many tokens', '{"tokens":100001}', undefined, 'simulator.tokens'],
    ['a numeric key', '{"key":1}', undefined, 'simulator.key'],
  ])('rejects %s with a 400 naming it', (_case, header, body, param) => {
    let error: unknown;
    try {
      sut.parse(header, body);
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(SimulatorError);
    expect(error).toMatchObject({ status: 400, param });
  });
});
