import { ArkgateHarness, startArkgate } from '../support/arkgate.harness';
import { dataOf, openSse } from '../support/sse.client';
import { MODEL, userSays } from './chat.fixtures';
import { Json, postAndHold, postJson } from './json.client';

/** Slow enough that no stream below can finish before the client hangs up. */
const PACING = { token_delay_ms: 200, tokens: 50 };
const LONG_INPUT = 'one two three four five six seven eight nine ten eleven twelve thirteen';

describe('A client that hangs up aborts the upstream call', () => {
  let sut: ArkgateHarness;

  beforeAll(async () => {
    // The GET route cannot carry a simulator control, so the simulator paces every stream.
    sut = await startArkgate({
      env: { ARK_DEFAULT_MODEL: MODEL },
      simulator: { tokenDelayMs: PACING.token_delay_ms },
    });
  });

  afterAll(() => sut.close());

  beforeEach(() => sut.simulator.reset());

  afterEach(async () => {
    // arkgate is still healthy after the abort.
    const { status, body } = await postJson(`${sut.url}/v1/chat`, {
      input: 'still there?',
      simulator: { token_delay_ms: 0 },
    });
    expect(status).toBe(200);
    expect(body.content).toBe('Simulated reply to: still there?');
  });

  it('on the OpenAI stream, after the first chunk', async () => {
    const stream = await openSse(`${sut.url}/v1/chat/completions`, {
      body: { messages: userSays('count'), stream: true, simulator: PACING },
    });
    const first = await stream.nextEvent();
    expect(stream.status).toBe(200);
    expect(dataOf<Json>(first!).object).toBe('chat.completion.chunk');

    stream.close();

    const aborted = await sut.simulator.waitForAbort(0);
    expect(aborted).toMatchObject({ path: '/api/v3/chat/completions', completed: false });
    expect(aborted.body).toMatchObject({ stream: true });
  });

  it('on POST /v1/chat/stream, after the first delta', async () => {
    const stream = await openSse(`${sut.url}/v1/chat/stream`, {
      body: { input: 'count', simulator: PACING },
    });
    const first = await stream.nextEvent();
    expect(first?.event).toBe('delta');

    stream.close();

    const aborted = await sut.simulator.waitForAbort(0);
    expect(aborted).toMatchObject({ path: '/api/v3/chat/completions', completed: false });
  });

  it('on GET /v1/chat/stream (EventSource), after the first delta', async () => {
    const stream = await openSse(
      `${sut.url}/v1/chat/stream?input=${encodeURIComponent(LONG_INPUT)}`,
    );
    const first = await stream.nextEvent();
    expect(first?.event).toBe('delta');
    expect(dataOf(first!)).toEqual({ content: 'Simulated ' });

    stream.close();

    const aborted = await sut.simulator.waitForAbort(0);
    expect(aborted).toMatchObject({ path: '/api/v3/chat/completions', completed: false });
    expect(aborted.body).toMatchObject({ messages: userSays(LONG_INPUT) });
  });

  it.each([
    ['/v1/chat/completions', { messages: userSays('wait for me') }],
    ['/v1/chat', { input: 'wait for me' }],
  ])('on a non-streaming %s call that ModelArk leaves hanging', async (path, request) => {
    const hangUp = postAndHold(`${sut.url}${path}`, {
      ...request,
      simulator: { scenario: 'hang' },
    });
    await sut.simulator.waitFor((entry) => entry.body !== undefined);

    hangUp();

    const aborted = await sut.simulator.waitForAbort(0);
    expect(aborted).toMatchObject({ path: '/api/v3/chat/completions', completed: false });
    expect(aborted.status).toBeUndefined();
  });
});
