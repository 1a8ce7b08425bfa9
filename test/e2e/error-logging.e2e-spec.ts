import { ArkgateHarness, startArkgate } from '../support/arkgate.harness';
import { MODEL } from './chat.fixtures';
import { postAndHold, postJson } from './json.client';

describe('Error logging (LOG_LEVEL=error)', () => {
  let sut: ArkgateHarness;
  let logged: string;
  const spies: jest.SpyInstance[] = [];

  beforeAll(async () => {
    sut = await startArkgate({ env: { ARK_DEFAULT_MODEL: MODEL, LOG_LEVEL: 'error' } });
  });

  afterAll(() => sut.close());

  beforeEach(() => {
    sut.simulator.reset();
    logged = '';
    for (const stream of [process.stdout, process.stderr]) {
      const capture = (chunk: unknown) => {
        logged += String(chunk);
        return true;
      };
      spies.push(jest.spyOn(stream, 'write').mockImplementation(capture));
    }
  });

  afterEach(() => {
    for (const spy of spies.splice(0)) spy.mockRestore();
  });

  it('logs errors only, not the lifecycle lines below that level', async () => {
    await startArkgate({ env: { ARK_DEFAULT_MODEL: MODEL, LOG_LEVEL: 'error' } }).then((quiet) =>
      quiet.close(),
    );

    expect(logged).not.toContain('Nest application successfully started');
    expect(logged).not.toContain('No Redis configured');
  });

  it('logs an upstream failure as an error', async () => {
    const failed = await postJson(`${sut.url}/v1/chat`, {
      input: 'hi',
      simulator: { scenario: 'error-500' },
    });

    expect(failed.status).toBe(502);
    expect(logged).toContain('BytePlus ModelArk failed (500)');
  });

  it('does not log a client that hung up as an internal error', async () => {
    const hangUp = postAndHold(`${sut.url}/v1/chat`, {
      input: 'wait for me',
      simulator: { scenario: 'hang' },
    });
    await sut.simulator.waitFor((entry) => entry.body !== undefined);
    hangUp();
    await sut.simulator.waitForAbort(0);
    // A later request has gone through the whole filter chain, so the abort's turn is over.
    expect((await postJson(`${sut.url}/v1/chat`, { input: 'hi' })).status).toBe(200);

    expect(logged).not.toContain('Internal error in arkgate');
    expect(logged).not.toContain('Request was aborted');
  });
});
