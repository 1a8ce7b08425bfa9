import type { IncomingHttpHeaders } from 'node:http';

/** One request as the simulator saw it; tests read these to assert what the gateway sent. */
export interface SimulatorRequest {
  /** Also sent back as the `x-request-id` header. */
  id: string;
  method: string;
  /** Path as received, prefix included, query excluded. */
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body; undefined for an empty or unparsable body. */
  body: unknown;
  /** The client went away before the answer was finished. */
  aborted: boolean;
  /** The whole answer was written. */
  completed: boolean;
  /** HTTP status sent, once headers are out. */
  status?: number;
}
