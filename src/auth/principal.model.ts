/** Who is calling a /v1 route, as established by the auth guard. */
export interface Principal {
  /** `key`: a service holding an API key; `token`: a browser holding a token that key minted. */
  kind: 'key' | 'token';
  /** The API key's name (for a token: the key that minted it). Recorded as the trace's caller. */
  name: string;
  /** Bound by a token; the trace's user and session come from here, never from the browser. */
  userId?: string;
  sessionId?: string;
}

/** A configured API key: its name, the key, and optional per-key limits (undefined = defaults). */
export interface ApiKeyEntry {
  name: string;
  key: string;
  rpm?: number;
  tpm?: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth guard on /v1 routes when auth is on. */
    principal?: Principal;
  }
}
