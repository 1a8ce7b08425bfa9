import { MlflowContentType, MlflowErrorCode } from './mlflow.constants';
import { MlflowRequestError } from './mlflow-request.error';
import { splitTrackingUris, TrackingServerPool } from './tracking-server.pool';

export interface MlflowClientOptions {
  /**
   * Base URI of the tracking server, e.g. `http://localhost:5000` (a path prefix is kept), or a
   * comma-separated list of servers that share one backend store.
   */
  trackingUri: string;
  /** Sent as `Authorization: Bearer <token>`; wins over username/password. */
  token?: string;
  username?: string;
  password?: string;
  /** Per request, including reading the body. Default 30 s. */
  timeoutMs?: number;
  /** Injected for tests; defaults to the global fetch. */
  fetch?: typeof fetch;
}

export interface MlflowRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | undefined>;
  /** Serialized as JSON with `Content-Type: application/json`. */
  json?: unknown;
  /** A ready body (protobuf bytes, pre-built JSON text) sent with `contentType`. */
  body?: Uint8Array | string;
  contentType?: string;
  headers?: Record<string, string>;
  /**
   * Safe to carry out twice (an upsert, a set): then a 502/503 from one server sends it to the
   * next at once. Defaults to true for GET and PUT only.
   */
  idempotent?: boolean;
}

const DEFAULT_TIMEOUT_MS = 30_000;

type FetchBody = NonNullable<Parameters<typeof fetch>[1]>['body'];

/** Answers of a server that cannot take requests now (or of a proxy with no server behind it). */
const UNAVAILABLE_STATUSES = new Set([502, 503]);
/** Connection errors before any byte of the request went out. */
const NOT_DELIVERED_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/**
 * Thin HTTP client for the MLflow tracking server; every failure becomes an MlflowRequestError.
 * With several servers, requests take turns over them. A request that surely did not reach its
 * server (connection refused), or an idempotent one answered 502/503, goes to the next server at
 * once; otherwise (a timeout, a dropped connection, a 502 to a CreateAssessment) it may have been
 * carried out, so it fails as before (the job that sent it retries, checking first), and the
 * server is skipped for a while either way.
 */
export class MlflowClient {
  private readonly servers: TrackingServerPool;
  private readonly authorization: string | undefined;
  private readonly timeoutMs: number;
  private readonly fetchFn: typeof fetch;

  constructor(options: MlflowClientOptions) {
    this.servers = new TrackingServerPool(splitTrackingUris(options.trackingUri));
    this.authorization = MlflowClient.authorizationHeader(options);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.fetchFn = options.fetch ?? fetch;
  }

  /** The first tracking server (the one a browser link uses). */
  get trackingUri(): string {
    return this.servers.urls[0];
  }

  /** Sends the request; resolves to the parsed JSON body, the text of a non-JSON one, or undefined. */
  async request<T = unknown>(request: MlflowRequest): Promise<T> {
    let lastError: MlflowRequestError | undefined;
    for (const index of this.servers.order()) {
      try {
        const result = await this.send<T>(this.servers.urls[index], request);
        this.servers.succeeded(index);
        return result;
      } catch (error) {
        if (!(error instanceof MlflowRequestError)) throw error;
        const status = error.status ?? 0;
        if (status !== 0 && status < 500) throw error;
        this.servers.failed(index);
        if (!MlflowClient.safeToSendElsewhere(error, MlflowClient.idempotent(request))) throw error;
        lastError = error;
      }
    }
    throw lastError as MlflowRequestError;
  }

  private async send<T>(baseUrl: string, request: MlflowRequest): Promise<T> {
    const url = this.url(baseUrl, request.path, request.query);
    const headers: Record<string, string> = { accept: MlflowContentType.json, ...request.headers };
    if (this.authorization) headers.authorization = this.authorization;
    let body: Uint8Array | string | undefined = request.body;
    if (request.json !== undefined) {
      body = JSON.stringify(request.json);
      headers['content-type'] = MlflowContentType.json;
    } else if (body !== undefined) {
      headers['content-type'] = request.contentType ?? MlflowContentType.json;
    }

    let status: number | undefined;
    try {
      const response = await this.fetchFn(url, {
        method: request.method,
        headers,
        body: body as FetchBody,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = response.status;
      const text = await response.text();
      if (!response.ok) throw this.httpError(request, response.status, text);
      return MlflowClient.parseJson(text, response.headers.get('content-type')) as T;
    } catch (error) {
      if (error instanceof MlflowRequestError) throw error;
      throw this.transportError(request, status, error);
    }
  }

  get<T = unknown>(path: string, query?: Record<string, string | undefined>): Promise<T> {
    return this.request<T>({ method: 'GET', path, query });
  }

  post<T = unknown>(
    path: string,
    json: unknown,
    options: { idempotent?: boolean } = {},
  ): Promise<T> {
    return this.request<T>({ method: 'POST', path, json, ...options });
  }

  private url(baseUrl: string, path: string, query?: Record<string, string | undefined>): string {
    const url = new URL(baseUrl + path);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, value);
    }
    return url.toString();
  }

  private httpError(request: MlflowRequest, status: number, text: string): MlflowRequestError {
    const parsed = MlflowClient.parseErrorBody(text);
    return new MlflowRequestError({
      method: request.method,
      path: request.path,
      status,
      errorCode: parsed.errorCode ?? `HTTP_${status}`,
      message: parsed.message ?? (text.slice(0, 500) || `HTTP ${status}`),
    });
  }

  private transportError(
    request: MlflowRequest,
    status: number | undefined,
    error: unknown,
  ): MlflowRequestError {
    // Duck-typed: the abort reason is a DOMException, not always an instanceof this realm's Error.
    const timedOut = (error as { name?: unknown } | null)?.name === 'TimeoutError';
    return new MlflowRequestError({
      method: request.method,
      path: request.path,
      status: timedOut ? undefined : status,
      errorCode: timedOut ? MlflowErrorCode.timeout : MlflowErrorCode.networkError,
      message: timedOut ? `no answer within ${this.timeoutMs} ms` : describeCause(error),
      cause: error,
    });
  }

  private static parseJson(text: string, contentType: string | null): unknown {
    if (text === '') return undefined;
    if (contentType && !contentType.includes('json')) return text;
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }

  /** MLflow answers `{error_code, message}`; its FastAPI routes (/v1/traces) `{detail}`. */
  private static parseErrorBody(text: string): { errorCode?: string; message?: string } {
    try {
      const body = JSON.parse(text) as {
        error_code?: unknown;
        message?: unknown;
        detail?: unknown;
      };
      const detail = typeof body.detail === 'string' ? body.detail : JSON.stringify(body.detail);
      return {
        errorCode: typeof body.error_code === 'string' ? body.error_code : undefined,
        message: typeof body.message === 'string' ? body.message : detail,
      };
    } catch {
      return {};
    }
  }

  private static idempotent(request: MlflowRequest): boolean {
    return request.idempotent ?? (request.method === 'GET' || request.method === 'PUT');
  }

  /**
   * True when sending `error`'s request again elsewhere cannot carry it out twice: it never left
   * (connection refused), or a 502/503 answered an idempotent one (a proxy's 502 may come after
   * the server took the request).
   */
  private static safeToSendElsewhere(error: MlflowRequestError, idempotent: boolean): boolean {
    if (error.status !== undefined) return idempotent && UNAVAILABLE_STATUSES.has(error.status);
    const cause = error.cause as { code?: unknown; cause?: { code?: unknown } } | undefined;
    const code = cause?.code ?? cause?.cause?.code;
    return typeof code === 'string' && NOT_DELIVERED_CODES.has(code);
  }

  private static authorizationHeader(options: MlflowClientOptions): string | undefined {
    if (options.token) return `Bearer ${options.token}`;
    if (options.username !== undefined && options.password !== undefined) {
      const credentials = Buffer.from(`${options.username}:${options.password}`).toString('base64');
      return `Basic ${credentials}`;
    }
    return undefined;
  }
}

function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
