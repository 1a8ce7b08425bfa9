import { MlflowContentType, MlflowErrorCode } from './mlflow.constants';
import { MlflowRequestError } from './mlflow-request.error';

export interface MlflowClientOptions {
  /** Base URI of the tracking server, e.g. `http://localhost:5000` (a path prefix is kept). */
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
}

const DEFAULT_TIMEOUT_MS = 30_000;

type FetchBody = NonNullable<Parameters<typeof fetch>[1]>['body'];

/** Thin HTTP client for the MLflow tracking server; every failure becomes an MlflowRequestError. */
export class MlflowClient {
  private readonly baseUrl: string;
  private readonly authorization: string | undefined;
  private readonly timeoutMs: number;
  private readonly fetchFn: typeof fetch;

  constructor(options: MlflowClientOptions) {
    this.baseUrl = options.trackingUri.replace(/\/+$/, '');
    this.authorization = MlflowClient.authorizationHeader(options);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.fetchFn = options.fetch ?? fetch;
  }

  get trackingUri(): string {
    return this.baseUrl;
  }

  /** Sends the request; resolves to the parsed JSON body, the text of a non-JSON one, or undefined. */
  async request<T = unknown>(request: MlflowRequest): Promise<T> {
    const url = this.url(request.path, request.query);
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

  post<T = unknown>(path: string, json: unknown): Promise<T> {
    return this.request<T>({ method: 'POST', path, json });
  }

  private url(path: string, query?: Record<string, string | undefined>): string {
    const url = new URL(this.baseUrl + path);
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
