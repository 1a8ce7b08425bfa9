import OpenAI from 'openai';
import type { TraceInfoJson } from '../../src/mlflow/trace-info.mapper';
import type { ReadSpan } from '../support/mlflow-reader';
import { openSse } from '../support/sse.client';
import { eventually, startTracedArkgate, type TracedArkgate } from '../support/traced-arkgate';

jest.setTimeout(120_000);

const TOOLS = [
  {
    type: 'function' as const,
    function: {
      name: 'get_weather',
      description: 'Weather for a city',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    },
  },
];

describe('Every request is one MLflow trace', () => {
  let sut: TracedArkgate;
  let client: OpenAI;

  beforeAll(async () => {
    sut = await startTracedArkgate({ experimentName: 'arkgate-tracing-chat', redisDb: 7 });
    client = new OpenAI({ apiKey: 'unused', baseURL: `${sut.url}/v1`, maxRetries: 0 });
  });

  afterAll(async () => {
    await sut?.close();
  });

  async function traceInfo(traceId: string): Promise<TraceInfoJson> {
    return eventually(async () => {
      const info = await sut.reader.getTraceInfo(traceId);
      return info?.state === 'IN_PROGRESS' ? undefined : info;
    });
  }

  async function spansOf(traceId: string): Promise<ReadSpan[]> {
    await traceInfo(traceId);
    return eventually(async () => {
      const spans = await sut.reader.getTraceSpans(traceId);
      return spans.length >= 2 ? spans : undefined;
    });
  }

  function byName(spans: ReadSpan[], name: string): ReadSpan {
    const span = spans.find((candidate) => candidate.name === name);
    if (!span) throw new Error(`no span ${name} in ${spans.map((s) => s.name).join(', ')}`);
    return span;
  }

  it('records a non-streaming chat: CHAIN root, Completions child, usage, params, session, user', async () => {
    const { data, response } = await client.chat.completions
      .create(
        {
          model: 'seed-1-6-250615',
          messages: [{ role: 'user', content: 'What is MLflow?' }],
          temperature: 0.2,
        },
        { headers: { 'x-session-id': 'session-nonstream', 'x-user-id': 'user-42' } },
      )
      .withResponse();
    const traceId = response.headers.get('x-mlflow-trace-id')!;
    expect(traceId).toMatch(/^tr-[0-9a-f]{32}$/);
    expect(response.headers.get('traceparent')).toContain(traceId.slice(3));

    const info = await traceInfo(traceId);
    expect(info.state).toBe('OK');
    expect(info.trace_metadata['mlflow.trace.session']).toBe('session-nonstream');
    expect(info.trace_metadata['mlflow.trace.user']).toBe('user-42');
    expect(info.tags['arkgate.version']).toMatch(/^\d+\.\d+\.\d+/);
    expect(info.tags['mlflow.traceName']).toBe('POST /v1/chat/completions');
    expect(info.request_preview).toBe('What is MLflow?');
    expect(info.response_preview).toBe(data.choices[0].message.content);
    expect(JSON.parse(info.trace_metadata['mlflow.trace.tokenUsage'])).toEqual({
      input_tokens: data.usage!.prompt_tokens,
      output_tokens: data.usage!.completion_tokens,
      total_tokens: data.usage!.total_tokens,
    });

    const spans = await spansOf(traceId);
    expect(spans).toHaveLength(2);
    const root = byName(spans, 'POST /v1/chat/completions');
    const llm = byName(spans, 'Completions');
    expect(root.parentSpanId).toBeUndefined();
    expect(root.attributes['mlflow.spanType']).toBe('CHAIN');
    expect(root.attributes['mlflow.spanLogLevel']).toBe(10);
    expect(root.attributes['mlflow.spanInputs']).toMatchObject({ temperature: 0.2 });
    expect(root.attributes['mlflow.spanOutputs']).toMatchObject({ id: data.id });
    expect(llm.parentSpanId).toBe(root.spanId);
    expect(llm.attributes).toMatchObject({
      'mlflow.spanType': 'CHAT_MODEL',
      'mlflow.message.format': 'openai',
      'mlflow.llm.model': 'seed-1-6-250615',
      'mlflow.llm.provider': 'byteplus',
      // The UI's verbosity filter (default INFO) keeps the model call and folds the chain glue.
      'mlflow.spanLogLevel': 20,
      temperature: 0.2,
      model: 'seed-1-6-250615',
      'mlflow.chat.tokenUsage': {
        input_tokens: data.usage!.prompt_tokens,
        output_tokens: data.usage!.completion_tokens,
        total_tokens: data.usage!.total_tokens,
      },
    });
    expect(llm.attributes['mlflow.spanOutputs']).toMatchObject({
      choices: [{ message: { content: data.choices[0].message.content } }],
    });
    expect(llm.attributes['byteplus.request_id']).toBe(sut.simulator.requests.at(-1)?.id);

    const search = await sut.reader.searchTraces({
      experimentIds: [await sut.experimentId()],
      filter: "metadata.`mlflow.trace.session` = 'session-nonstream'",
    });
    expect(search.map((trace) => trace.trace_id)).toEqual([traceId]);
  });

  it('records a streaming chat with the complete message, usage and a first-token event', async () => {
    const stream = await openSse(`${sut.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'x-session-id': 'session-stream' },
      body: {
        model: 'seed-1-6-thinking-250715',
        messages: [{ role: 'user', content: 'Tell me a story about tracing' }],
        stream: true,
      },
    });
    const traceId = stream.headers['x-mlflow-trace-id'] as string;
    const events = await stream.readAll();
    const chunks = events
      .filter((event) => event.data && event.data !== '[DONE]')
      .map((event) => JSON.parse(event.data) as OpenAI.ChatCompletionChunk);
    const content = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
    expect(chunks.some((chunk) => chunk.usage)).toBe(false);

    const info = await traceInfo(traceId);
    expect(info.state).toBe('OK');
    const spans = await spansOf(traceId);
    const llm = byName(spans, 'Completions');
    const outputs = llm.attributes['mlflow.spanOutputs'] as OpenAI.ChatCompletion;
    expect(outputs.object).toBe('chat.completion');
    expect(outputs.choices[0].message.content).toBe(content);
    expect(
      (outputs.choices[0].message as { reasoning_content?: string }).reasoning_content,
    ).toBeTruthy();
    expect(llm.events.map((event) => event.name)).toContain('first_token');
    const upstreamBody = sut.simulator.requests.at(-1)?.body as Record<string, unknown>;
    expect(upstreamBody.stream_options).toEqual({ include_usage: true });
    // The span's inputs are what was sent upstream, as autolog records the call it wraps.
    expect(llm.attributes['mlflow.spanInputs']).toEqual(upstreamBody);
    expect(llm.attributes['mlflow.chat.tokenUsage']).toEqual({
      input_tokens: outputs.usage!.prompt_tokens,
      output_tokens: outputs.usage!.completion_tokens,
      total_tokens: outputs.usage!.total_tokens,
    });
    expect(outputs.usage!.total_tokens).toBeGreaterThan(0);
    const root = byName(spans, 'POST /v1/chat/completions');
    expect(root.attributes['mlflow.spanOutputs']).toMatchObject({
      choices: [{ message: { content } }],
    });
  });

  it('records a tool-call chat with the tools and the tool call', async () => {
    const { data, response } = await client.chat.completions
      .create({
        model: 'seed-1-6-250615',
        messages: [{ role: 'user', content: 'Weather in Paris?' }],
        tools: TOOLS,
      })
      .withResponse();
    const traceId = response.headers.get('x-mlflow-trace-id')!;
    expect(data.choices[0].finish_reason).toBe('tool_calls');

    const spans = await spansOf(traceId);
    const llm = byName(spans, 'Completions');
    expect(llm.attributes['mlflow.chat.tools']).toEqual(TOOLS);
    expect(llm.attributes['mlflow.spanOutputs']).toMatchObject({
      choices: [{ message: { tool_calls: [{ function: { name: 'get_weather' } }] } }],
    });
  });

  it('records a streamed tool call as the same call unstreamed: a preview, content null', async () => {
    const request = {
      model: 'seed-1-6-250615',
      messages: [{ role: 'user' as const, content: 'Weather in Lisbon?' }],
      tools: TOOLS,
    };
    const plain = await client.chat.completions.create(request).withResponse();
    const streamed = await client.chat.completions
      .create({ ...request, stream: true })
      .withResponse();
    for await (const chunk of streamed.data) void chunk;
    const ids = [plain, streamed].map(({ response }) => response.headers.get('x-mlflow-trace-id')!);

    const [plainInfo, streamedInfo] = await Promise.all(ids.map(traceInfo));
    const [plainSpans, streamedSpans] = await Promise.all(ids.map(spansOf));
    const messageOf = (spans: ReadSpan[]) =>
      (byName(spans, 'Completions').attributes['mlflow.spanOutputs'] as OpenAI.ChatCompletion)
        .choices[0].message;

    expect(messageOf(streamedSpans)).toMatchObject({
      role: 'assistant',
      content: null,
      tool_calls: [{ type: 'function', function: { name: 'get_weather' } }],
    });
    expect(messageOf(plainSpans).content).toBeNull();
    expect(streamedInfo.response_preview).toContain('get_weather');
    // Both previews show the tool call (the list in the UI shows it, not "-").
    const previewedCall = (info: TraceInfoJson) => {
      const preview = JSON.parse(info.response_preview!) as OpenAI.ChatCompletion;
      const { role, content, tool_calls } = preview.choices[0].message;
      return {
        role,
        content,
        tool_calls: tool_calls?.map(({ type, ...call }) => ({
          type,
          function: 'function' in call ? call.function : undefined,
        })),
      };
    };
    expect(previewedCall(streamedInfo)).toEqual(previewedCall(plainInfo));
  });

  it('records a failing chat as ERROR with an exception event', async () => {
    const failure = await client.chat.completions
      .create({
        model: 'seed-1-6-250615',
        messages: [{ role: 'user', content: 'This will fail' }],
        simulator: { scenario: 'error-500' },
      } as OpenAI.ChatCompletionCreateParamsNonStreaming)
      .withResponse()
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    const traceId = (failure as InstanceType<typeof OpenAI.APIError>).headers?.get(
      'x-mlflow-trace-id',
    );
    expect(traceId).toMatch(/^tr-/);

    const info = await traceInfo(traceId!);
    expect(info.state).toBe('ERROR');
    const spans = await spansOf(traceId!);
    const llm = byName(spans, 'Completions');
    expect(llm.status.code).toBe('ERROR');
    const exception = llm.events.find((event) => event.name === 'exception');
    expect(exception?.attributes['exception.type']).toBe('InternalServerError');
    expect(String(exception?.attributes['exception.message'])).toContain('500');
    expect(byName(spans, 'POST /v1/chat/completions').status.code).toBe('ERROR');
  });

  it.each([
    [
      '/v1/chat/completions',
      { messages: [{ role: 'user', content: 'count slowly' }], stream: true },
      'Completions',
    ],
    ['/v1/chat/stream', { input: 'count slowly' }, 'Completions'],
    ['/v1/responses', { input: 'count slowly', stream: true }, 'Responses'],
  ])(
    'keeps what %s had sent when the client hangs up: partial outputs, stream_aborted',
    async (path, body, llmSpanName) => {
      const stream = await openSse(`${sut.url}${path}`, {
        method: 'POST',
        body: { ...body, simulator: { token_delay_ms: 150, tokens: 40 } },
      });
      const traceId = stream.headers['x-mlflow-trace-id'] as string;
      const received: string[] = [];
      while (received.length < 3) {
        const event = await stream.nextEvent();
        if (event?.data) received.push(event.data);
      }
      stream.close();

      const info = await traceInfo(traceId);
      expect(info.state).toBe('ERROR');
      const spans = await spansOf(traceId);
      const root = byName(spans, `POST ${path}`);
      expect(root.status.code).toBe('ERROR');
      expect(root.events.map((event) => event.name)).toEqual([
        'client_disconnected',
        'stream_aborted',
      ]);
      const outputs = root.attributes['mlflow.spanOutputs'] as Record<string, unknown>;
      expect(outputs).toBeDefined();
      if (path === '/v1/chat/completions') {
        const sent = received
          .map((data) => JSON.parse(data) as OpenAI.ChatCompletionChunk)
          .map((chunk) => chunk.choices[0]?.delta.content ?? '')
          .join('');
        const kept = (outputs as unknown as OpenAI.ChatCompletion).choices[0].message.content;
        expect(sent).not.toBe('');
        expect(kept?.startsWith(sent)).toBe(true);
      }
      if (path === '/v1/chat/stream') expect(String(outputs.content)).toMatch(/^Simulated/);
      if (path === '/v1/responses') expect(outputs.object).toBe('response');
      const llm = byName(spans, llmSpanName);
      expect(llm.status.code).toBe('ERROR');
      expect(llm.events.map((event) => event.name)).toContain('stream_aborted');
    },
  );

  it('records the app stream route with the user and session from the body', async () => {
    const stream = await openSse(`${sut.url}/v1/chat/stream`, {
      method: 'POST',
      body: { input: 'Hello app', sessionId: 'session-app', userId: 'user-app' },
    });
    const traceId = stream.headers['x-mlflow-trace-id'] as string;
    const events = await stream.readAll();
    const done = events.find((event) => event.event === 'done');
    if (!done) throw new Error(`no done event: ${stream.status} ${JSON.stringify(events)}`);
    expect(JSON.parse(done.data)).toMatchObject({ traceId });

    const info = await traceInfo(traceId);
    expect(info.trace_metadata['mlflow.trace.session']).toBe('session-app');
    expect(info.trace_metadata['mlflow.trace.user']).toBe('user-app');
    expect(info.tags['mlflow.traceName']).toBe('POST /v1/chat/stream');
  });

  it('shows the same trace through the official Python client', async () => {
    const { response } = await client.chat.completions
      .create({
        model: 'seed-1-6-250615',
        messages: [{ role: 'user', content: 'Seen from Python' }],
        max_tokens: 50,
      })
      .withResponse();
    const traceId = response.headers.get('x-mlflow-trace-id')!;
    await spansOf(traceId);

    const trace = await sut.python.read(traceId);
    expect(trace.info.state).toBe('OK');
    const root = trace.spans.find((span) => span.parent_id === null)!;
    const llm = trace.spans.find((span) => span.name === 'Completions')!;
    expect(root.span_type).toBe('CHAIN');
    expect(root.inputs_type).toBe('dict');
    expect(llm.span_type).toBe('CHAT_MODEL');
    expect(llm.inputs_type).toBe('dict');
    expect(llm.outputs_type).toBe('dict');
    expect(llm.attributes['max_tokens']).toBe(50);
    expect(trace.info.token_usage?.total_tokens).toBeGreaterThan(0);
  });

  it('continues the trace of an incoming traceparent', async () => {
    const callerTraceId = '4bf92f3577b34da6a3ce929d0e0e4736'.replace(
      '4bf9',
      Date.now().toString(16).slice(-4),
    );
    const callerSpanId = '00f067aa0ba902b7';
    const { response } = await client.chat.completions
      .create(
        { model: 'seed-1-6-250615', messages: [{ role: 'user', content: 'Continue me' }] },
        { headers: { traceparent: `00-${callerTraceId}-${callerSpanId}-01` } },
      )
      .withResponse();
    expect(response.headers.get('x-mlflow-trace-id')).toBe(`tr-${callerTraceId}`);

    const spans = await eventually(async () => {
      const found = await sut.reader
        .getTraceFromStore(`tr-${callerTraceId}`)
        .catch(() => undefined);
      return found && found.spans.length >= 2 ? found.spans : undefined;
    });
    const root = byName(spans, 'POST /v1/chat/completions');
    expect(root.traceId).toBe(callerTraceId);
    expect(root.parentSpanId).toBe(callerSpanId);
    expect(byName(spans, 'Completions').parentSpanId).toBe(root.spanId);
  });

  it('writes exactly one trace per request', async () => {
    const experimentId = await sut.experimentId();
    const marker = `count-${Date.now()}`;
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        client.chat.completions.create(
          { model: 'seed-1-6-250615', messages: [{ role: 'user', content: `${marker} ${i}` }] },
          { headers: { 'x-session-id': marker } },
        ),
      ),
    );
    const filter = `metadata.\`mlflow.trace.session\` = '${marker}'`;
    await sut.reader.waitForTraces({ experimentIds: [experimentId], filter }, 10);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await sut.reader.searchTraces({ experimentIds: [experimentId], filter })).toHaveLength(
      10,
    );

    const metrics = await (await fetch(`${sut.url}/metrics`)).text();
    const exported = /^arkgate_export_lag_seconds_count (\d+)/m.exec(metrics);
    expect(Number(exported?.[1])).toBeGreaterThanOrEqual(10);
  });
});
