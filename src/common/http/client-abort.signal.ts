import type { FastifyReply } from 'fastify';
import type { ServerResponse } from 'node:http';

const signals = new WeakMap<ServerResponse, AbortSignal>();

/**
 * The request's one signal of the client going away before the response was complete. Every
 * caller of the same request gets the same signal, so one 'close' listener serves them all.
 */
export function clientAbortSignal(reply: FastifyReply): AbortSignal {
  const known = signals.get(reply.raw);
  if (known) return known;
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort(new Error('client disconnected'));
  });
  signals.set(reply.raw, controller.signal);
  return controller.signal;
}
