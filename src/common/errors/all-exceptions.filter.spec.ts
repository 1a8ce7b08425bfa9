import type { ArgumentsHost } from '@nestjs/common';
import { Logger, NotFoundException } from '@nestjs/common';
import { AllExceptionsFilter } from './all-exceptions.filter';
import { GatewayErrorCode } from './gateway-error-code.enum';
import { GatewayError } from './gateway.error';

interface FakeReply {
  sent: boolean;
  raw: {
    destroyed: boolean;
    writableFinished: boolean;
    headersSent: boolean;
    writableEnded: boolean;
  };
  statusCode?: number;
  headersWritten: Record<string, string>;
  body?: unknown;
  ended: number;
}

function fakeReply(raw: Partial<FakeReply['raw']> = {}, sent = false) {
  const reply: FakeReply & Record<string, unknown> = {
    sent,
    raw: {
      destroyed: false,
      writableFinished: false,
      headersSent: false,
      writableEnded: false,
      ...raw,
    },
    headersWritten: {},
    ended: 0,
  };
  Object.assign(reply.raw, { end: () => (reply.ended += 1) });
  reply.status = (code: number) => ((reply.statusCode = code), reply);
  reply.headers = (headers: Record<string, string>) => (
    Object.assign(reply.headersWritten, headers),
    reply
  );
  reply.send = (body: unknown) => ((reply.body = body), Promise.resolve());
  const host = {
    switchToHttp: () => ({ getResponse: () => reply }),
  } as unknown as ArgumentsHost;
  return { reply, host };
}

describe(AllExceptionsFilter.name, () => {
  const filter = new AllExceptionsFilter();
  let logged: jest.SpyInstance;

  beforeEach(() => {
    logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => logged.mockRestore());

  it("answers a gateway error in OpenAI's envelope with its status and retry headers", () => {
    const { reply, host } = fakeReply();

    filter.catch(
      new GatewayError('Slow down', {
        status: 429,
        code: GatewayErrorCode.UpstreamRateLimited,
        type: 'rate_limit_error',
        retryAfter: '3',
        retryable: true,
      }),
      host,
    );

    expect(reply.statusCode).toBe(429);
    expect(reply.headersWritten).toEqual({ 'retry-after': '3', 'x-should-retry': 'true' });
    expect(reply.body).toEqual({
      error: {
        message: 'Slow down',
        type: 'rate_limit_error',
        param: null,
        code: GatewayErrorCode.UpstreamRateLimited,
      },
    });
    expect(logged).not.toHaveBeenCalled();
  });

  it("maps Nest's HTTP exceptions by status", () => {
    const { reply, host } = fakeReply();

    filter.catch(new NotFoundException('Cannot GET /nope'), host);

    expect(reply.statusCode).toBe(404);
    expect(reply.body).toMatchObject({
      error: { type: 'not_found_error', code: GatewayErrorCode.NotFound },
    });
  });

  it("answers arkgate's own fault as a 500 that does not leak the message, and logs it", () => {
    const { reply, host } = fakeReply();

    filter.catch(new TypeError("Cannot read properties of undefined (reading 'x')"), host);

    expect(reply.statusCode).toBe(500);
    expect(reply.headersWritten).toEqual({ 'x-should-retry': 'false' });
    expect(JSON.stringify(reply.body)).not.toContain('reading');
    expect(logged).toHaveBeenCalledTimes(1);
  });

  it('only closes the socket when a stream already sent its headers', () => {
    const { reply, host } = fakeReply({ headersSent: true });

    filter.catch(new Error('late failure'), host);

    expect(reply.body).toBeUndefined();
    expect(reply.statusCode).toBeUndefined();
    expect(reply.ended).toBe(1);
  });

  it('does not answer twice when the route already sent its reply', () => {
    const { reply, host } = fakeReply({}, true);

    filter.catch(new Error('after the answer'), host);

    expect(reply.body).toBeUndefined();
    expect(reply.statusCode).toBeUndefined();
    expect(reply.ended).toBe(1);
  });

  it('writes nothing when the client went away', () => {
    const { reply, host } = fakeReply({ destroyed: true });

    filter.catch(new Error('aborted'), host);

    expect(reply.body).toBeUndefined();
    expect(reply.ended).toBe(0);
    expect(logged).not.toHaveBeenCalled();
  });
});
