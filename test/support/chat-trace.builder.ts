import { randomBytes } from 'node:crypto';
import type { FinishedTrace, SpanRecord } from '../../src/tracing/trace.model';

export interface ChatTraceOptions {
  sessionId?: string;
  userId?: string;
  /** The provider call fails: exception event, ERROR statuses, trace state ERROR. */
  error?: boolean;
  /** The root continues a caller's trace (incoming traceparent): spans only. */
  remoteParentSpanId?: string;
  /** Reuse a caller's OTel trace id (32 hex). */
  otelTraceId?: string;
  /** Fix the root span id (16 hex), e.g. to be the span a callee names as its remote parent. */
  rootSpanId?: string;
  linkedPrompts?: { name: string; version: string }[];
  startMs?: number;
}

export const CHAT_USAGE = { input_tokens: 21, output_tokens: 9, total_tokens: 30 };

export const CHAT_TOOLS = [
  {
    type: 'function',
    function: {
      name: 'get_weather',
      description: 'Current weather for a city',
      parameters: {
        type: 'object',
        properties: { city: { type: 'string' } },
        required: ['city'],
      },
    },
  },
];

/** A trace shaped like the one arkgate records for one POST /v1/chat/completions. */
export function buildChatTrace(options: ChatTraceOptions = {}): FinishedTrace {
  const otelTraceId = options.otelTraceId ?? randomBytes(16).toString('hex');
  const rootId = options.rootSpanId ?? randomBytes(8).toString('hex');
  const llmId = randomBytes(8).toString('hex');
  const startMs = options.startMs ?? Date.now() - 2_000;
  const t0 = BigInt(startMs) * 1_000_000n + 123_456n;
  const ns = (offsetMs: number) => String(t0 + BigInt(offsetMs) * 1_000_000n);
  const failed = options.error === true;

  const request = {
    model: 'seed-1-6-250615',
    messages: [
      { role: 'system', content: 'You are a concise assistant.' },
      { role: 'user', content: 'What is the weather in Jakarta?' },
    ],
    temperature: 0.2,
    tools: CHAT_TOOLS,
  };
  const completion = {
    id: 'chatcmpl-8c1e',
    object: 'chat.completion',
    created: Math.floor(startMs / 1000),
    model: 'seed-1-6-250615',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: 'It is 31°C and humid in Jakarta.' },
        finish_reason: 'stop',
      },
    ],
    usage: { prompt_tokens: 21, completion_tokens: 9, total_tokens: 30 },
  };
  const exception = {
    'exception.type': 'RateLimitError',
    'exception.message': '429 Too Many Requests: slow down',
    'exception.stacktrace': 'RateLimitError: 429 Too Many Requests\n    at ArkClient.create',
  };

  const root: SpanRecord = {
    traceId: otelTraceId,
    spanId: rootId,
    parentSpanId: options.remoteParentSpanId,
    name: 'POST /v1/chat/completions',
    startTimeUnixNano: ns(0),
    endTimeUnixNano: ns(1532),
    status: failed
      ? { code: 'ERROR', message: 'RateLimitError: 429 Too Many Requests' }
      : { code: 'OK' },
    attributes: {
      'mlflow.spanType': 'CHAIN',
      'mlflow.spanInputs': request,
      'mlflow.spanOutputs': failed ? null : completion,
      // The tracing interceptor puts the caller's identity on the root span too.
      ...(options.sessionId ? { 'session.id': options.sessionId } : {}),
      ...(options.userId ? { 'user.id': options.userId } : {}),
    },
    events: [],
  };
  const llm: SpanRecord = {
    traceId: otelTraceId,
    spanId: llmId,
    parentSpanId: rootId,
    name: 'Completions',
    startTimeUnixNano: ns(12),
    endTimeUnixNano: ns(1510),
    status: failed
      ? { code: 'ERROR', message: 'RateLimitError: 429 Too Many Requests' }
      : { code: 'OK' },
    attributes: {
      'mlflow.spanType': 'CHAT_MODEL',
      'mlflow.spanInputs': request,
      ...(failed ? {} : { 'mlflow.spanOutputs': completion }),
      'mlflow.message.format': 'openai',
      ...(failed ? {} : { 'mlflow.chat.tokenUsage': CHAT_USAGE }),
      'mlflow.llm.model': 'seed-1-6-250615',
      'mlflow.llm.provider': 'byteplus',
      'mlflow.chat.tools': CHAT_TOOLS,
      temperature: 0.2,
      model: 'seed-1-6-250615',
    },
    events: failed ? [{ name: 'exception', timeUnixNano: ns(1509), attributes: exception }] : [],
  };

  const metadata: Record<string, string> = {};
  if (options.sessionId) metadata['mlflow.trace.session'] = options.sessionId;
  if (options.userId) metadata['mlflow.trace.user'] = options.userId;
  if (!failed) metadata['mlflow.trace.tokenUsage'] = JSON.stringify(CHAT_USAGE);

  return {
    traceId: `tr-${otelTraceId}`,
    remoteParent: options.remoteParentSpanId !== undefined,
    requestTime: startMs,
    executionDurationMs: 1532,
    state: failed ? 'ERROR' : 'OK',
    requestPreview: 'What is the weather in Jakarta?',
    responsePreview: failed ? undefined : 'It is 31°C and humid in Jakarta.',
    metadata,
    tags: { 'mlflow.traceName': 'POST /v1/chat/completions' },
    linkedPrompts: options.linkedPrompts,
    spans: [root, llm],
  };
}
