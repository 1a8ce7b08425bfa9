import { randomUUID } from 'node:crypto';
import type { TraceInfoJson } from '../../src/mlflow/trace-info.mapper';
import type { ReadSpan } from '../support/mlflow-reader';
import type { PythonSpan } from '../support/python-trace.reader';
import { dataOf, openSse } from '../support/sse.client';
import { eventually, startTracedArkgate, type TracedArkgate } from '../support/traced-arkgate';

jest.setTimeout(120_000);

const MODEL = 'seed-1-6-250615';
const TEXT_EMBEDDING_MODEL = 'seed-embedding-text-250615';
const VISION_EMBEDDING_MODEL = 'skylark-embedding-vision-250615';

const WEATHER_TOOL = {
  type: 'function',
  name: 'get_weather',
  description: 'Weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

describe('Responses and embeddings calls are traced like MLflow traces OpenAI', () => {
  let sut: TracedArkgate;

  beforeAll(async () => {
    sut = await startTracedArkgate({
      experimentName: `arkgate-responses-embeddings-${randomUUID()}`,
      redisDb: 11,
    });
  });

  afterAll(async () => {
    await sut?.close();
  });

  /** POSTs JSON as one session; answers the body and the trace id header. */
  async function post(path: string, body: object, session: string) {
    const response = await fetch(`${sut.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-session-id': session },
      body: JSON.stringify(body),
    });
    const traceId = response.headers.get('x-mlflow-trace-id');
    expect(traceId).toMatch(/^tr-[0-9a-f]{32}$/);
    return { status: response.status, body: (await response.json()) as Json, traceId: traceId! };
  }

  async function traceInfo(traceId: string): Promise<TraceInfoJson> {
    return eventually(async () => {
      const info = await sut.reader.getTraceInfo(traceId);
      return info?.state === 'IN_PROGRESS' ? undefined : info;
    });
  }

  /** The trace's spans once both are in, after checking it is the only trace of its session. */
  async function onlyTraceOf(session: string, traceId: string): Promise<ReadSpan[]> {
    const filter = `metadata.\`mlflow.trace.session\` = '${session}'`;
    const experimentIds = [await eventually(() => sut.experimentId())];
    await sut.reader.waitForTraces({ experimentIds, filter }, 1);
    await traceInfo(traceId);
    const spans = await eventually(async () => {
      const found = await sut.reader.getTraceSpans(traceId);
      return found.length >= 2 ? found : undefined;
    });
    const traces = await sut.reader.searchTraces({ experimentIds, filter });
    expect(traces.map((trace) => trace.trace_id)).toEqual([traceId]);
    expect(spans).toHaveLength(2);
    return spans;
  }

  function byName(spans: ReadSpan[], name: string): ReadSpan {
    const span = spans.find((candidate) => candidate.name === name);
    if (!span) throw new Error(`no span ${name} in ${spans.map((s) => s.name).join(', ')}`);
    return span;
  }

  function pythonSpan(spans: PythonSpan[], name: string): PythonSpan {
    const span = spans.find((candidate) => candidate.name === name);
    if (!span) throw new Error(`no span ${name} in ${spans.map((s) => s.name).join(', ')}`);
    return span;
  }

  describe('POST /v1/responses', () => {
    it('records one trace: CHAIN root, Responses CHAT_MODEL child with params, tools and usage', async () => {
      const session = `responses-${randomUUID()}`;
      const request = {
        model: MODEL,
        input: 'What is MLflow?',
        instructions: 'Be brief.',
        temperature: 0.2,
        tools: [WEATHER_TOOL, { type: 'web_search' }],
        tool_choice: 'none',
      };

      const { status, body, traceId } = await post('/v1/responses', request, session);

      expect(status).toBe(200);
      const usage = {
        input_tokens: body.usage.input_tokens,
        output_tokens: body.usage.output_tokens,
        total_tokens: body.usage.total_tokens,
      };
      const spans = await onlyTraceOf(session, traceId);
      const info = await traceInfo(traceId);
      expect(info.state).toBe('OK');
      expect(info.tags['mlflow.traceName']).toBe('POST /v1/responses');
      // MLflow 3.14+ derives the preview from the root's inputs (no chat messages here: their JSON).
      expect(info.request_preview).toContain('What is MLflow?');
      expect(JSON.parse(info.trace_metadata['mlflow.trace.tokenUsage'])).toEqual(usage);

      const root = byName(spans, 'POST /v1/responses');
      const llm = byName(spans, 'Responses');
      expect(root.parentSpanId).toBeUndefined();
      expect(root.attributes['mlflow.spanType']).toBe('CHAIN');
      expect(root.attributes['mlflow.spanInputs']).toEqual(request);
      expect(root.attributes['mlflow.spanOutputs']).toEqual(body);
      expect(llm.parentSpanId).toBe(root.spanId);
      expect(llm.status.code).toBe('OK');
      expect(llm.attributes).toMatchObject({
        'mlflow.spanType': 'CHAT_MODEL',
        'mlflow.spanInputs': { ...request, stream: false },
        'mlflow.spanOutputs': body,
        'mlflow.message.format': 'openai',
        'mlflow.llm.model': MODEL,
        'mlflow.llm.provider': 'byteplus',
        'mlflow.chat.tokenUsage': usage,
        'mlflow.chat.tools': [
          {
            type: 'function',
            function: {
              name: 'get_weather',
              description: 'Weather for a city',
              parameters: WEATHER_TOOL.parameters,
            },
          },
          { type: 'function', function: { name: 'web_search' } },
        ],
        'byteplus.request_id': sut.simulator.requests.at(-1)?.id,
        model: MODEL,
        instructions: 'Be brief.',
        temperature: 0.2,
        tool_choice: 'none',
        stream: false,
      });
      expect(llm.attributes).not.toHaveProperty('input');

      const python = await sut.python.read(traceId);
      const pyLlm = pythonSpan(python.spans, 'Responses');
      expect(python.info.state).toBe('OK');
      expect(python.info.token_usage).toEqual(usage);
      expect(pythonSpan(python.spans, 'POST /v1/responses')).toMatchObject({
        span_type: 'CHAIN',
        parent_id: null,
      });
      expect(pyLlm).toMatchObject({
        span_type: 'CHAT_MODEL',
        inputs_type: 'dict',
        outputs_type: 'dict',
        outputs: body,
      });
      expect(pyLlm.attributes['mlflow.chat.tokenUsage']).toEqual(usage);
      expect(pyLlm.attribute_types).toMatchObject({
        'mlflow.chat.tokenUsage': 'dict',
        'mlflow.chat.tools': 'list',
        temperature: 'float',
      });
    });

    it('records a stream as one trace: output is the response.completed response', async () => {
      const session = `responses-stream-${randomUUID()}`;
      const request = { model: 'seed-1-6-thinking-250715', input: 'Tell me about tracing' };

      const stream = await openSse(`${sut.url}/v1/responses`, {
        body: { ...request, stream: true },
        headers: { 'x-session-id': session },
      });
      const traceId = stream.headers['x-mlflow-trace-id'] as string;
      const events = (await stream.readAll()).filter((message) => message.event !== undefined);

      expect(events.at(-1)?.event).toBe('response.completed');
      const completed = dataOf<Json>(events.at(-1)!).response;
      const usage = {
        input_tokens: completed.usage.input_tokens,
        output_tokens: completed.usage.output_tokens,
        total_tokens: completed.usage.total_tokens,
      };
      const spans = await onlyTraceOf(session, traceId);
      const root = byName(spans, 'POST /v1/responses');
      const llm = byName(spans, 'Responses');
      expect((await traceInfo(traceId)).state).toBe('OK');
      expect(root.attributes['mlflow.spanOutputs']).toEqual(completed);
      expect(llm.parentSpanId).toBe(root.spanId);
      expect(llm.attributes).toMatchObject({
        'mlflow.spanType': 'CHAT_MODEL',
        'mlflow.spanInputs': { ...request, stream: true },
        'mlflow.spanOutputs': completed,
        'mlflow.chat.tokenUsage': usage,
        stream: true,
      });
      expect(completed.output.map((item: Json) => item.type)).toEqual(['reasoning', 'message']);
      expect(llm.events.map((event) => event.name)).toEqual(['first_token']);

      const python = await sut.python.read(traceId);
      expect(python.info.token_usage).toEqual(usage);
      expect(pythonSpan(python.spans, 'Responses')).toMatchObject({
        span_type: 'CHAT_MODEL',
        outputs: completed,
      });
    });

    it('records a ModelArk 429 as an ERROR trace with the exception', async () => {
      const session = `responses-error-${randomUUID()}`;

      const { status, traceId } = await post(
        '/v1/responses',
        { input: 'hi', model: MODEL, simulator: { scenario: 'error-429' } },
        session,
      );

      expect(status).toBe(429);
      const spans = await onlyTraceOf(session, traceId);
      const llm = byName(spans, 'Responses');
      expect((await traceInfo(traceId)).state).toBe('ERROR');
      expect(llm.status.code).toBe('ERROR');
      expect(llm.events.find((event) => event.name === 'exception')?.attributes).toMatchObject({
        'exception.type': 'RateLimitError',
      });
      expect(byName(spans, 'POST /v1/responses').status.code).toBe('ERROR');
    });
  });

  describe('POST /v1/embeddings', () => {
    it('records one trace: CHAIN root, Embeddings EMBEDDING child, usage, vectors summarized', async () => {
      const session = `embeddings-${randomUUID()}`;
      const request = {
        model: TEXT_EMBEDDING_MODEL,
        input: ['hello world', 'good bye now'],
        dimensions: 8,
        encoding_format: 'float',
      };

      const { status, body, traceId } = await post('/v1/embeddings', request, session);

      expect(status).toBe(200);
      const usage = {
        input_tokens: body.usage.prompt_tokens,
        output_tokens: 0,
        total_tokens: body.usage.total_tokens,
      };
      const summary = {
        ...body,
        data: [
          { object: 'embedding', index: 0, dimensions: 8 },
          { object: 'embedding', index: 1, dimensions: 8 },
        ],
      };
      const spans = await onlyTraceOf(session, traceId);
      const info = await traceInfo(traceId);
      expect(info.state).toBe('OK');
      expect(info.tags['mlflow.traceName']).toBe('POST /v1/embeddings');
      expect(JSON.parse(info.trace_metadata['mlflow.trace.tokenUsage'])).toEqual(usage);

      const root = byName(spans, 'POST /v1/embeddings');
      const llm = byName(spans, 'Embeddings');
      expect(root.attributes['mlflow.spanType']).toBe('CHAIN');
      expect(root.attributes['mlflow.spanInputs']).toEqual(request);
      expect(root.attributes['mlflow.spanOutputs']).toEqual(summary);
      expect(llm.parentSpanId).toBe(root.spanId);
      expect(llm.attributes).toMatchObject({
        'mlflow.spanType': 'EMBEDDING',
        'mlflow.spanInputs': request,
        'mlflow.spanOutputs': summary,
        'mlflow.chat.tokenUsage': usage,
        'mlflow.llm.model': TEXT_EMBEDDING_MODEL,
        'mlflow.llm.provider': 'byteplus',
        'arkgate.upstream.path': '/embeddings',
        model: TEXT_EMBEDDING_MODEL,
        dimensions: 8,
        encoding_format: 'float',
      });
      expect(llm.attributes).not.toHaveProperty('input');
      expect(llm.attributes).not.toHaveProperty('mlflow.message.format');

      const python = await sut.python.read(traceId);
      const pyLlm = pythonSpan(python.spans, 'Embeddings');
      expect(python.info.token_usage).toEqual(usage);
      expect(pyLlm).toMatchObject({
        span_type: 'EMBEDDING',
        parent_id: pythonSpan(python.spans, 'POST /v1/embeddings').span_id,
        inputs_type: 'dict',
        outputs: summary,
      });
      expect(pyLlm.attributes['mlflow.chat.tokenUsage']).toEqual(usage);
    });

    it('records a multimodal request as one Embeddings span over its upstream calls', async () => {
      const session = `embeddings-multimodal-${randomUUID()}`;
      const image = { type: 'image_url', image_url: { url: 'https://example.com/bike.png' } };
      const request = {
        model: VISION_EMBEDDING_MODEL,
        input: [image, [{ type: 'text', text: 'a red bicycle' }, image]],
        dimensions: 4,
      };
      sut.simulator.reset();

      const { status, body, traceId } = await post('/v1/embeddings', request, session);

      expect(status).toBe(200);
      const spans = await onlyTraceOf(session, traceId);
      const llm = byName(spans, 'Embeddings');
      const upstreamIds = sut.simulator.requests.map((upstream) => upstream.id);
      expect(upstreamIds).toHaveLength(2);
      expect(llm.attributes).toMatchObject({
        'mlflow.spanType': 'EMBEDDING',
        'arkgate.upstream.path': '/embeddings/multimodal',
        'mlflow.chat.tokenUsage': {
          input_tokens: body.usage.prompt_tokens,
          output_tokens: 0,
          total_tokens: body.usage.total_tokens,
        },
      });
      expect(String(llm.attributes['byteplus.request_id']).split(',').sort()).toEqual(
        upstreamIds.sort(),
      );
      expect(body.usage.prompt_tokens).toBe(256 + 3 + 256);
    });
  });
});
