import { ChatCompletionsHandler } from './chat-completions.handler';
import { ModelsHandler } from './models.handler';
import { SimulatorRouter } from './simulator.router';

describe(SimulatorRouter.name, () => {
  let sut: SimulatorRouter;

  beforeEach(() => {
    sut = new SimulatorRouter();
  });

  it.each([
    ['/api/v3/chat/completions', '/chat/completions'],
    ['/v1/chat/completions/', '/chat/completions'],
    ['/chat/completions', '/chat/completions'],
    ['/api/v3', '/'],
    ['/v10/models', '/v10/models'],
  ])('normalizes %s to %s', (path, expected) => {
    expect(SimulatorRouter.normalize(path)).toBe(expected);
  });

  it('resolves handlers and path parameters', () => {
    expect(sut.resolve('POST', '/api/v3/chat/completions').handler).toBeInstanceOf(
      ChatCompletionsHandler,
    );
    expect(sut.resolve('GET', '/v1/models/seed%2Dx')).toEqual({
      handler: expect.any(ModelsHandler),
      params: { id: 'seed-x' },
    });
  });

  it('throws 404 for unknown paths and 405 with allow for known ones', () => {
    expect(() => sut.resolve('GET', '/api/v3/unknown')).toThrow(
      expect.objectContaining({ status: 404 }),
    );
    expect(() => sut.resolve('DELETE', '/api/v3/embeddings')).toThrow(
      expect.objectContaining({ status: 405, headers: { allow: 'POST' } }),
    );
  });
});
