import { setTimeout as sleep } from 'node:timers/promises';
import { parseExactJson } from './exact-json';
import type { TraceInfoJson } from '../../src/mlflow/trace-info.mapper';

export interface ExperimentJson {
  experiment_id: string;
  name: string;
  artifact_location: string;
  lifecycle_stage: string;
  tags?: { key: string; value: string }[];
}

export type ReadStatusCode = 'UNSET' | 'OK' | 'ERROR';

/** A span as read back from MLflow, whichever endpoint and id/status encoding it came in. */
export interface ReadSpan {
  /** 32 lowercase hex. */
  traceId: string;
  /** 16 lowercase hex. */
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** Exact decimal digits. */
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  status: { code: ReadStatusCode; message: string };
  /** JSON-decoded values: objects come back as objects. */
  attributes: Record<string, unknown>;
  events: { name: string; timeUnixNano: string; attributes: Record<string, unknown> }[];
}

export interface SearchTracesOptions {
  experimentIds: string[];
  filter?: string;
  maxResults?: number;
  orderBy?: string[];
}

/** Reads traces back from a tracking server for assertions (not part of the product). */
export class MlflowReader {
  private readonly baseUrl: string;

  constructor(trackingUri: string) {
    this.baseUrl = trackingUri.replace(/\/+$/, '');
  }

  async getExperimentByName(name: string): Promise<ExperimentJson | undefined> {
    const found = await this.call<{ experiment: ExperimentJson }>(
      'GET',
      `/api/2.0/mlflow/experiments/get-by-name?experiment_name=${encodeURIComponent(name)}`,
    );
    return found?.experiment;
  }

  /** All pages of POST /api/3.0/mlflow/traces/search. */
  async searchTraces(options: SearchTracesOptions): Promise<TraceInfoJson[]> {
    const traces: TraceInfoJson[] = [];
    let pageToken: string | undefined;
    do {
      const page = await this.call<{ traces?: TraceInfoJson[]; next_page_token?: string }>(
        'POST',
        '/api/3.0/mlflow/traces/search',
        {
          locations: options.experimentIds.map((id) => ({
            type: 'MLFLOW_EXPERIMENT',
            mlflow_experiment: { experiment_id: id },
          })),
          filter: options.filter,
          max_results: options.maxResults ?? 100,
          order_by: options.orderBy ?? ['timestamp_ms DESC'],
          page_token: pageToken,
        },
      );
      traces.push(...(page?.traces ?? []));
      pageToken = page?.next_page_token || undefined;
    } while (pageToken);
    return traces;
  }

  /** Polls the search until at least `count` traces match; returns them. */
  async waitForTraces(
    options: SearchTracesOptions,
    count: number,
    timeoutMs = 15_000,
  ): Promise<TraceInfoJson[]> {
    const deadline = Date.now() + timeoutMs;
    let traces: TraceInfoJson[] = [];
    while (Date.now() < deadline) {
      traces = await this.searchTraces(options);
      if (traces.length >= count) return traces;
      await sleep(200);
    }
    throw new Error(
      `expected ${count} trace(s) matching ${JSON.stringify(options)} within ${timeoutMs} ms, ` +
        `found ${traces.length}: ${traces.map((trace) => trace.trace_id).join(', ')}`,
    );
  }

  /** GET /api/3.0/mlflow/traces/{id}; undefined when the server does not know the trace. */
  async getTraceInfo(traceId: string): Promise<TraceInfoJson | undefined> {
    const found = await this.call<{ trace: { trace_info: TraceInfoJson } }>(
      'GET',
      `/api/3.0/mlflow/traces/${encodeURIComponent(traceId)}`,
    );
    return found?.trace.trace_info;
  }

  /** Span data the way the UI loads it (get-trace-artifact): DB-stored spans or traces.json. */
  async getTraceSpans(traceId: string): Promise<ReadSpan[]> {
    const text = await this.callText(
      'GET',
      `/ajax-api/3.0/mlflow/get-trace-artifact?request_id=${encodeURIComponent(traceId)}`,
    );
    const document = parseExactJson(text) as { spans: RawSpan[] };
    return document.spans.map(normalizeSpan);
  }

  /** GetTrace (DB-stored spans only) with allow_partial, as OTel proto JSON spans normalized. */
  async getTraceFromStore(traceId: string): Promise<{ info: TraceInfoJson; spans: ReadSpan[] }> {
    const text = await this.callText(
      'GET',
      `/api/3.0/mlflow/traces/get?trace_id=${encodeURIComponent(traceId)}&allow_partial=true`,
    );
    const body = parseExactJson(text) as {
      trace: { trace_info: TraceInfoJson; spans?: RawSpan[] };
    };
    return { info: body.trace.trace_info, spans: (body.trace.spans ?? []).map(normalizeSpan) };
  }

  private async call<T>(method: string, path: string, json?: unknown): Promise<T | undefined> {
    const response = await fetch(this.baseUrl + path, {
      method,
      headers: json === undefined ? {} : { 'content-type': 'application/json' },
      body: json === undefined ? undefined : JSON.stringify(json),
    });
    const text = await response.text();
    if (response.status === 404) return undefined;
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
    return parseExactJson(text) as T;
  }

  private async callText(method: string, path: string): Promise<string> {
    const response = await fetch(this.baseUrl + path, { method });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
    return text;
  }
}

type RawSpan = Record<string, unknown>;
type RawAttributes = Record<string, unknown> | { key: string; value: unknown }[] | undefined;

function normalizeSpan(raw: RawSpan): ReadSpan {
  const parent = raw.parent_span_id ?? raw.parentSpanId;
  const status = (raw.status ?? {}) as { code?: unknown; message?: unknown };
  const events = (raw.events ?? []) as RawSpan[];
  return {
    traceId: toHex(str(raw.trace_id ?? raw.traceId), 16),
    spanId: toHex(str(raw.span_id ?? raw.spanId), 8),
    parentSpanId: parent ? toHex(str(parent), 8) : undefined,
    name: str(raw.name),
    startTimeUnixNano: str(raw.start_time_unix_nano ?? raw.startTimeUnixNano),
    endTimeUnixNano: str(raw.end_time_unix_nano ?? raw.endTimeUnixNano),
    status: { code: toStatusCode(status.code), message: str(status.message ?? '') },
    attributes: decodeAttributes(raw.attributes as RawAttributes, true),
    events: events.map((event) => ({
      name: str(event.name),
      timeUnixNano: str(event.time_unix_nano ?? event.timeUnixNano),
      attributes: decodeAttributes(event.attributes as RawAttributes, false),
    })),
  };
}

function str(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Hex ids stay hex; anything else is taken as base64 of the raw bytes. */
export function toHex(id: string, bytes: number): string {
  const hex = new RegExp(`^[0-9a-fA-F]{${bytes * 2}}$`);
  if (hex.test(id)) return id.toLowerCase();
  return Buffer.from(id, 'base64').toString('hex');
}

export function toStatusCode(code: unknown): ReadStatusCode {
  const text = str(code ?? 'UNSET').replace(/^STATUS_CODE_/, '');
  if (text === 'OK' || text === '1') return 'OK';
  if (text === 'ERROR' || text === '2') return 'ERROR';
  return 'UNSET';
}

/**
 * traces.json holds a map of JSON-encoded strings (span attributes) or plain values (events);
 * GetTrace holds OTel `[{key, value: AnyValue}]` lists.
 */
function decodeAttributes(raw: RawAttributes, jsonEncoded: boolean): Record<string, unknown> {
  if (!raw) return {};
  if (Array.isArray(raw)) {
    return Object.fromEntries(raw.map(({ key, value }) => [key, decodeAnyValue(value)]));
  }
  return Object.fromEntries(
    Object.entries(raw).map(([key, value]) => [key, jsonEncoded ? parseLoose(value) : value]),
  );
}

function parseLoose(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return parseExactJson(value);
  } catch {
    return value;
  }
}

function decodeAnyValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value ?? null;
  const any = value as Record<string, unknown>;
  const pick = (snake: string, camel: string) => any[snake] ?? any[camel];
  const str = pick('string_value', 'stringValue');
  if (str !== undefined) return str;
  const int = pick('int_value', 'intValue');
  if (int !== undefined) return Number(int);
  const dbl = pick('double_value', 'doubleValue');
  if (dbl !== undefined) return Number(dbl);
  const bool = pick('bool_value', 'boolValue');
  if (bool !== undefined) return bool;
  const array = pick('array_value', 'arrayValue') as { values?: unknown[] } | undefined;
  if (array !== undefined) return (array.values ?? []).map(decodeAnyValue);
  const kvlist = pick('kvlist_value', 'kvlistValue') as
    { values?: { key: string; value: unknown }[] } | undefined;
  if (kvlist !== undefined) {
    return Object.fromEntries(
      (kvlist.values ?? []).map((kv) => [kv.key, decodeAnyValue(kv.value)]),
    );
  }
  return null;
}
