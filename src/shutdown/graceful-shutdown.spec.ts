import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { GracefulShutdown } from './graceful-shutdown';

function setup(options: { closeServer?: () => Promise<void>; closeApp?: () => Promise<void> }) {
  const order: string[] = [];
  const server = {
    closeAllConnections: jest.fn(() => {
      order.push('cut connections');
    }),
  };
  const fastify = {
    close: jest.fn(async () => {
      await (options.closeServer?.() ?? Promise.resolve());
      order.push('server closed');
    }),
  };
  const closeApp = jest.fn(async () => {
    await (options.closeApp?.() ?? Promise.resolve());
    order.push('app closed');
  });
  const app = {
    getHttpServer: () => server,
    getHttpAdapter: () => ({ getInstance: () => fastify }),
    close: closeApp,
  } as unknown as NestFastifyApplication;
  const exit = jest.spyOn(process, 'exit').mockImplementation(() => undefined as never);
  return { sut: new GracefulShutdown(app, 1_000), order, server, exit, closeApp };
}

describe(GracefulShutdown.name, () => {
  beforeAll(() => Logger.overrideLogger(false));

  afterEach(() => {
    jest.restoreAllMocks();
    jest.useRealTimers();
  });

  it('closes the server (draining requests) before the app hooks, then exits 0', async () => {
    const { sut, order, exit } = setup({});

    await sut.shutdown('SIGTERM');

    expect(order).toEqual(['server closed', 'app closed']);
    expect(exit).toHaveBeenCalledWith(0);
  });

  it('cuts the connections still open at the deadline, then closes the app', async () => {
    jest.useFakeTimers();
    let release: () => void = () => undefined;
    const { sut, order, server, exit } = setup({
      closeServer: () => new Promise<void>((resolve) => (release = resolve)),
    });
    server.closeAllConnections.mockImplementation(() => {
      order.push('cut connections');
      release();
    });

    const done = sut.shutdown('SIGTERM');
    await jest.advanceTimersByTimeAsync(1_000);
    await done;

    expect(order).toEqual(['cut connections', 'server closed', 'app closed']);
    expect(exit).toHaveBeenCalledWith(0);
  });

  it('exits 1 when closing fails, and runs once for repeated signals', async () => {
    const { sut, exit, closeApp } = setup({ closeApp: () => Promise.reject(new Error('boom')) });

    await sut.shutdown('SIGTERM');
    await sut.shutdown('SIGINT');

    expect(exit).toHaveBeenCalledWith(1);
    expect(closeApp).toHaveBeenCalledTimes(1);
  });
});
