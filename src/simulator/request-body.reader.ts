import type { IncomingMessage } from 'node:http';
import { SimulatorError } from './simulator.error';

/** Reads a request body up to a limit; past it, the rest is drained and discarded, then 413. */
export class RequestBodyReader {
  constructor(private readonly maxBytes: number) {}

  read(req: IncomingMessage): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > this.maxBytes) chunks.length = 0;
        else chunks.push(chunk);
      });
      req.once('end', () => {
        if (size <= this.maxBytes) return resolve(Buffer.concat(chunks));
        reject(
          new SimulatorError(
            413,
            'RequestBodyTooLarge',
            `The request body exceeds ${this.maxBytes} bytes.`,
          ),
        );
      });
      req.once('error', reject);
      req.once('close', () => {
        if (!req.complete)
          reject(new Error('The client closed the connection before the body ended'));
      });
    });
  }
}
