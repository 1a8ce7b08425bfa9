import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { toErrorResponse } from './error-response.mapper';

/** The one place that writes error bodies: OpenAI's envelope, on every route. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger(AllExceptionsFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    // The client went away, and its abort is what failed the call: nobody to answer, nothing broke.
    if (reply.raw.destroyed && !reply.raw.writableFinished) return;
    const { status, body, headers } = toErrorResponse(exception);
    if (status >= 500) {
      this.logger.error(
        body.error.message,
        exception instanceof Error ? exception.stack : undefined,
      );
    }
    if (reply.sent || reply.raw.headersSent) {
      // A streaming route owns its error event; all that is left here is to close the socket.
      if (!reply.raw.writableEnded) reply.raw.end();
      return;
    }
    void reply.status(status).headers(headers).send(body);
  }
}
