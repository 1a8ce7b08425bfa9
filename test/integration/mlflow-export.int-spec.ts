import { randomBytes, randomUUID } from 'node:crypto';
import type { FinishedTrace } from '../../src/tracing/trace.model';
import { buildChatTrace, CHAT_TOOLS, CHAT_USAGE } from '../support/chat-trace.builder';
import {
  createMlflowExportHarness,
  type MlflowExportHarness,
  sessionFilter,
  spanNamed as byName,
} from '../support/mlflow-export.harness';
import { readMlflowTestEnv } from '../support/mlflow-test-env';
import type { TraceInfoMode } from '../../src/mlflow/mlflow-trace.exporter';

jest.setTimeout(120_000);

// `auto` on 3.18: the spans alone carry the trace info; `always`: StartTraceV3 too, as servers
// before 3.14 need it.
describe.each<TraceInfoMode>(['auto', 'always'])(
  'MlflowTraceExporter against a real MLflow server (SQLite store, OTLP, trace info %s)',
  (mode) => {
    const startTrace = mode === 'always';
    let harness: MlflowExportHarness;
    let experimentId: string;

    beforeAll(async () => {
      const env = readMlflowTestEnv();
      harness = createMlflowExportHarness(env.trackingUri, env.venv, { traceInfo: mode });
      experimentId = await harness.experiments.resolve();
    });

    describe('a successful chat trace', () => {
      const session = `sess-${randomUUID()}`;
      let trace: FinishedTrace;

      beforeAll(async () => {
        trace = buildChatTrace({ sessionId: session, userId: 'user-42' });
        trace.metadata['arkgate.caller'] = 'backend';
        trace.tags.env = 'prod';
        const result = await harness.sut.export(trace);
        expect(result).toEqual({
          traceId: trace.traceId,
          experimentId,
          spansLocation: 'TRACKING_STORE',
          traceInfoWritten: startTrace,
          linkedPromptCount: 0,
        });
      });

      it('lands in the named experiment with proxied artifacts', async () => {
        const experiment = await harness.reader.getExperimentByName(harness.experimentName);

        expect(experiment).toMatchObject({
          experiment_id: experimentId,
          lifecycle_stage: 'active',
        });
        expect(experiment?.artifact_location).toBe(`mlflow-artifacts:/${experimentId}`);
      });

      it('has the trace info, metadata and tags it was exported with', async () => {
        const info = await harness.reader.getTraceInfo(trace.traceId);

        expect(info).toMatchObject({
          trace_id: trace.traceId,
          trace_location: { mlflow_experiment: { experiment_id: experimentId } },
          state: 'OK',
          request_time: new Date(trace.requestTime).toISOString(),
          execution_duration: '1.532s',
          request_preview: 'What is the weather in Jakarta?',
          response_preview: 'It is 31°C and humid in Jakarta.',
        });
        expect(info?.trace_metadata).toMatchObject({
          'mlflow.trace.session': session,
          'mlflow.trace.user': 'user-42',
        });
        if (startTrace) {
          expect(info?.trace_metadata).toMatchObject({
            'mlflow.trace_schema.version': '3',
            'mlflow.trace.infoFinalized': 'true',
          });
        }
        expect(JSON.parse(info?.trace_metadata['mlflow.trace.tokenUsage'] ?? '{}')).toEqual(
          CHAT_USAGE,
        );
        expect(info?.tags).toMatchObject({
          'mlflow.traceName': 'POST /v1/chat/completions',
          'mlflow.trace.spansLocation': 'TRACKING_STORE',
          'mlflow.artifactLocation': `mlflow-artifacts:/${experimentId}/traces/${trace.traceId}/artifacts`,
          // OTLP resource attributes other than telemetry.sdk.* / mlflow.* become trace tags.
          'service.name': 'arkgate',
          env: 'prod',
          // Metadata of arkgate's own travels as a tag: OTLP has no way to write trace metadata.
          'arkgate.caller': 'backend',
        });
      });

      it('is found by a search on its session', async () => {
        const found = await harness.reader.waitForTraces(
          { experimentIds: [experimentId], filter: sessionFilter(session) },
          1,
        );

        expect(found.map((info) => info.trace_id)).toEqual([trace.traceId]);
      });

      it('serves its spans, parent links, exact timestamps and structured attributes', async () => {
        const spans = await harness.reader.getTraceSpans(trace.traceId);
        const root = byName(spans, 'POST /v1/chat/completions');
        const llm = byName(spans, 'Completions');

        expect(spans).toHaveLength(2);
        expect(root.parentSpanId).toBeUndefined();
        expect(llm.parentSpanId).toBe(root.spanId);
        expect(root.spanId).toBe(trace.spans[0].spanId);
        expect(root.traceId).toBe(trace.traceId.slice(3));
        expect(root.startTimeUnixNano).toBe(trace.spans[0].startTimeUnixNano);
        expect(llm.endTimeUnixNano).toBe(trace.spans[1].endTimeUnixNano);
        expect(root.status.code).toBe('OK');
        expect(root.attributes['mlflow.spanInputs']).toEqual(
          trace.spans[0].attributes['mlflow.spanInputs'],
        );
        expect(root.attributes['mlflow.spanOutputs']).toEqual(
          trace.spans[0].attributes['mlflow.spanOutputs'],
        );
        expect(llm.attributes).toMatchObject({
          'mlflow.spanType': 'CHAT_MODEL',
          'mlflow.message.format': 'openai',
          'mlflow.chat.tokenUsage': CHAT_USAGE,
          'mlflow.chat.tools': CHAT_TOOLS,
          'mlflow.llm.model': 'seed-1-6-250615',
          'mlflow.llm.provider': 'byteplus',
          'mlflow.traceRequestId': trace.traceId,
          temperature: 0.2,
          model: 'seed-1-6-250615',
        });
      });

      it('serves the same spans from the tracking store (GetTrace)', async () => {
        const { info, spans } = await harness.reader.getTraceFromStore(trace.traceId);

        expect(info.trace_id).toBe(trace.traceId);
        expect(spans.map((span) => span.name).sort()).toEqual([
          'Completions',
          'POST /v1/chat/completions',
        ]);
        expect(byName(spans, 'Completions').attributes['mlflow.chat.tokenUsage']).toEqual(
          CHAT_USAGE,
        );
      });

      it('reads back through the official Python client as dicts, not strings', async () => {
        const read = await harness.python.read(trace.traceId);
        const root = read.spans.find((span) => span.name === 'POST /v1/chat/completions');
        const llm = read.spans.find((span) => span.name === 'Completions');

        expect(read.info).toMatchObject({
          state: 'OK',
          token_usage: CHAT_USAGE,
          trace_metadata: { 'mlflow.trace.session': session, 'mlflow.trace.user': 'user-42' },
        });
        expect(root).toMatchObject({
          span_type: 'CHAIN',
          parent_id: null,
          inputs_type: 'dict',
          outputs_type: 'dict',
        });
        expect(root?.inputs).toEqual(trace.spans[0].attributes['mlflow.spanInputs']);
        expect(root?.outputs).toEqual(trace.spans[0].attributes['mlflow.spanOutputs']);
        expect(llm).toMatchObject({
          span_type: 'CHAT_MODEL',
          parent_id: root?.span_id,
          inputs_type: 'dict',
        });
        expect(llm?.attribute_types).toMatchObject({
          'mlflow.chat.tokenUsage': 'dict',
          'mlflow.chat.tools': 'list',
          'mlflow.message.format': 'str',
          temperature: 'float',
        });
        expect(llm?.attributes['mlflow.chat.tokenUsage']).toEqual(CHAT_USAGE);
        // A plain string is stored once-encoded: no stray quotes when the SDK decodes it.
        expect(llm?.attributes['mlflow.message.format']).toBe('openai');
        expect(llm?.start_time_ns).toBe(trace.spans[1].startTimeUnixNano);
      });
    });

    it('exporting the same trace twice leaves one trace with the same spans and usage', async () => {
      const session = `sess-${randomUUID()}`;
      const trace = buildChatTrace({ sessionId: session });
      // Let the server aggregate usage from the spans, the value a double count would inflate.
      delete trace.metadata['mlflow.trace.tokenUsage'];

      await harness.sut.export(trace);
      await harness.sut.export(trace);

      const found = await harness.reader.waitForTraces(
        { experimentIds: [experimentId], filter: sessionFilter(session) },
        1,
      );
      const info = await harness.reader.getTraceInfo(trace.traceId);
      const read = await harness.python.read(trace.traceId);
      expect(found).toHaveLength(1);
      expect(await harness.reader.getTraceSpans(trace.traceId)).toHaveLength(2);
      expect(JSON.parse(info?.trace_metadata['mlflow.trace.tokenUsage'] ?? '{}')).toEqual(
        CHAT_USAGE,
      );
      expect(read.info.token_usage).toEqual(CHAT_USAGE);
      expect(read.spans).toHaveLength(2);
    });

    it('accepts a session id longer than MLflow allows, cut the same way everywhere', async () => {
      const session = `sess-${randomUUID()}-${'x'.repeat(300)}`;
      const trace = buildChatTrace({ sessionId: session });

      await harness.sut.export(trace);

      const stored = `${session.slice(0, 247)}...`;
      const found = await harness.reader.waitForTraces(
        { experimentIds: [experimentId], filter: sessionFilter(stored) },
        1,
      );
      expect(found.map((info) => info.trace_id)).toEqual([trace.traceId]);
      expect(found[0].trace_metadata['mlflow.trace.session']).toBe(stored);
    });

    it('records a failed call as an ERROR trace with the exception event', async () => {
      const trace = buildChatTrace({ error: true, sessionId: `sess-${randomUUID()}` });

      await harness.sut.export(trace);

      const info = await harness.reader.getTraceInfo(trace.traceId);
      const llm = byName(await harness.reader.getTraceSpans(trace.traceId), 'Completions');
      const read = await harness.python.read(trace.traceId);
      const pythonLlm = read.spans.find((span) => span.name === 'Completions');
      expect(info?.state).toBe('ERROR');
      expect(llm.status).toEqual({
        code: 'ERROR',
        message: 'RateLimitError: 429 Too Many Requests',
      });
      expect(llm.events).toEqual([
        {
          name: 'exception',
          timeUnixNano: trace.spans[1].events[0].timeUnixNano,
          attributes: trace.spans[1].events[0].attributes,
        },
      ]);
      expect(read.info.state).toBe('ERROR');
      expect(pythonLlm?.status.code).toBe('ERROR');
      expect(pythonLlm?.events[0]).toMatchObject({
        name: 'exception',
        attributes: { 'exception.type': 'RateLimitError' },
      });
    });

    it('writes only spans for a remote-parent trace, and merges them with the caller trace', async () => {
      const otelTraceId = randomBytes(16).toString('hex');
      const callerRootId = randomBytes(8).toString('hex');
      const callee = buildChatTrace({ otelTraceId, remoteParentSpanId: callerRootId });

      const result = await harness.sut.export(callee);

      // Before the caller reports: MLflow shows a trace created from the spans alone.
      const partial = await harness.reader.getTraceInfo(callee.traceId);
      expect(result).toMatchObject({ traceInfoWritten: false, spansLocation: 'TRACKING_STORE' });
      expect(partial?.state).toBe('IN_PROGRESS');
      expect(partial?.trace_metadata['mlflow.trace.infoFinalized']).toBeUndefined();
      expect(partial?.tags['mlflow.traceName']).toBeUndefined();
      expect(JSON.parse(partial?.trace_metadata['mlflow.trace.tokenUsage'] ?? '{}')).toEqual(
        CHAT_USAGE,
      );
      const calleeSpans = await harness.reader.getTraceSpans(callee.traceId);
      expect(byName(calleeSpans, 'POST /v1/chat/completions').parentSpanId).toBe(callerRootId);

      const caller = buildChatTrace({ otelTraceId, rootSpanId: callerRootId, userId: 'caller' });
      caller.spans[0].name = 'caller request';
      caller.tags['mlflow.traceName'] = 'caller request';
      await harness.sut.export(caller);

      const merged = await harness.reader.getTraceInfo(callee.traceId);
      const spans = await harness.reader.getTraceSpans(callee.traceId);
      expect(merged).toMatchObject({ state: 'OK', tags: { 'mlflow.traceName': 'caller request' } });
      expect(spans).toHaveLength(4);
      expect(byName(spans, 'caller request').parentSpanId).toBeUndefined();
    });

    it('links prompt versions and tags the trace with them', async () => {
      const trace = buildChatTrace({ linkedPrompts: [{ name: 'support-agent', version: '3' }] });

      const result = await harness.sut.export(trace);
      await harness.sut.export(trace);

      const info = await harness.reader.getTraceInfo(trace.traceId);
      expect(result.linkedPromptCount).toBe(1);
      expect(JSON.parse(info?.tags['mlflow.linkedPrompts'] ?? '[]')).toEqual([
        { name: 'support-agent', version: '3' },
      ]);
    });
  },
);
