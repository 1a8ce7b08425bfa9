import { FakeFetch } from '../../test/support/fake-fetch';
import { attributeMap, decodeExportTraceRequest } from '../../test/support/otlp-protobuf.decoder';
import type { FinishedTrace } from '../tracing/trace.model';
import { MlflowClient } from './mlflow.client';
import { MlflowExperimentResolver } from './mlflow-experiment.resolver';
import { MlflowExportError } from './mlflow-export.error';
import { MlflowTraceExporter } from './mlflow-trace.exporter';

const OTEL_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACE_ID = `tr-${OTEL_ID}`;
const GET_EXPERIMENT = '/api/2.0/mlflow/experiments/get-by-name';
const OTLP = '/v1/traces';
const START = '/api/3.0/mlflow/traces';
const INFO = `/api/3.0/mlflow/traces/${TRACE_ID}`;
const LINK = '/api/2.0/mlflow/traces/link-prompts';
const ARTIFACT = `/api/2.0/mlflow-artifacts/artifacts/7/traces/${TRACE_ID}/artifacts/traces.json`;

function trace(overrides: Partial<FinishedTrace> = {}): FinishedTrace {
  return {
    traceId: TRACE_ID,
    remoteParent: false,
    requestTime: 1763633730123,
    executionDurationMs: 10,
    state: 'OK',
    metadata: {},
    tags: {},
    spans: [
      {
        traceId: OTEL_ID,
        spanId: '00f067aa0ba902b7',
        name: 'root',
        startTimeUnixNano: '1763633730123000000',
        endTimeUnixNano: '1763633730133000000',
        status: { code: 'OK' },
        attributes: { 'mlflow.spanType': 'CHAIN' },
        events: [],
      },
    ],
    ...overrides,
  };
}

function returnedInfo(tags: Record<string, string>) {
  return { json: { trace: { trace_info: { trace_id: TRACE_ID, tags } } } };
}

const STORED = returnedInfo({
  'mlflow.trace.spansLocation': 'TRACKING_STORE',
  'mlflow.artifactLocation': `mlflow-artifacts:/7/traces/${TRACE_ID}/artifacts`,
});
const NOT_STORED = returnedInfo({
  'mlflow.artifactLocation': `mlflow-artifacts:/7/traces/${TRACE_ID}/artifacts`,
});
const FILESTORE_501 = {
  status: 501,
  json: { detail: 'REST OTLP span logging is not supported by FileStore' },
};
const NOT_FOUND = { status: 404, json: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'no' } };

describe(MlflowTraceExporter.name, () => {
  function setup() {
    const server = new FakeFetch().on('GET', GET_EXPERIMENT, {
      json: { experiment: { experiment_id: '7', name: 'BytePlus', lifecycle_stage: 'active' } },
    });
    const client = new MlflowClient({ trackingUri: 'http://mlflow', fetch: server.fetch });
    const sut = new MlflowTraceExporter(
      client,
      (name) => new MlflowExperimentResolver(client, name),
      { traceInfo: 'always' },
    );
    return { sut, server };
  }

  it('sends spans over OTLP, then the trace info, and links prompts', async () => {
    const { sut, server } = setup();
    server.on('POST', OTLP, { text: '' }).on('POST', START, STORED).on('POST', LINK, { json: {} });

    const result = await sut.export(
      'BytePlus',
      trace({ linkedPrompts: [{ name: 'support-agent', version: '3' }] }),
    );

    expect(result).toEqual({
      traceId: TRACE_ID,
      experimentId: '7',
      spansLocation: 'TRACKING_STORE',
      traceInfoWritten: true,
      linkedPromptCount: 1,
    });
    expect(server.calls()).toEqual([
      `GET ${GET_EXPERIMENT}`,
      `POST ${OTLP}`,
      `POST ${START}`,
      `POST ${LINK}`,
    ]);
    const [, otlp, start, link] = server.requests;
    expect(otlp.headers).toMatchObject({
      'content-type': 'application/x-protobuf',
      'x-mlflow-experiment-id': '7',
    });
    const decoded = decodeExportTraceRequest(otlp.body as Uint8Array);
    expect(decoded.resourceSpans[0].scopeSpans[0].spans[0].traceId).toBe(OTEL_ID);
    expect(start.json).toMatchObject({
      trace: {
        trace_info: {
          trace_id: TRACE_ID,
          trace_location: { mlflow_experiment: { experiment_id: '7' } },
        },
      },
    });
    expect(link.json).toEqual({
      trace_id: TRACE_ID,
      prompt_versions: [{ name: 'support-agent', version: '3' }],
    });
  });

  it('sends only spans when the root has a remote parent', async () => {
    const { sut, server } = setup();
    server.on('POST', OTLP, { text: '' });

    const result = await sut.export('BytePlus', trace({ remoteParent: true }));

    expect(result).toMatchObject({ traceInfoWritten: false, spansLocation: 'TRACKING_STORE' });
    expect(server.calls()).toEqual([`GET ${GET_EXPERIMENT}`, `POST ${OTLP}`]);
  });

  it('uploads traces.json when the server did not keep the spans', async () => {
    const { sut, server } = setup();
    server
      .on('POST', OTLP, { text: '' })
      .on('POST', START, NOT_STORED)
      .on('PUT', ARTIFACT, { json: {} });

    const result = await sut.export('BytePlus', trace());

    expect(result.spansLocation).toBe('ARTIFACT_REPO');
    expect(server.requests.at(-1)?.json).toMatchObject({ spans: [{ name: 'root' }] });
  });

  it('switches to the artifact path after a 501, reusing an existing trace info', async () => {
    const { sut, server } = setup();
    let infoExists = false;
    server
      .on('POST', OTLP, FILESTORE_501)
      .on('GET', INFO, () => (infoExists ? NOT_STORED : NOT_FOUND))
      .on('POST', START, () => {
        infoExists = true;
        return NOT_STORED;
      })
      .on('PUT', ARTIFACT, { json: {} });

    const first = await sut.export(
      'BytePlus',
      trace({ linkedPrompts: [{ name: 'p', version: '1' }] }),
    );
    const second = await sut.export('BytePlus', trace());

    expect(first).toMatchObject({ spansLocation: 'ARTIFACT_REPO', linkedPromptCount: 0 });
    expect(second.spansLocation).toBe('ARTIFACT_REPO');
    expect(server.calls()).toEqual([
      `GET ${GET_EXPERIMENT}`,
      `POST ${OTLP}`,
      `GET ${INFO}`,
      `POST ${START}`,
      `PUT ${ARTIFACT}`,
      `GET ${INFO}`,
      `PUT ${ARTIFACT}`,
    ]);
  });

  it('tries OTLP again ten minutes after it was found missing', async () => {
    const { sut, server } = setup();
    let now = 1_000_000;
    const clock = jest.spyOn(Date, 'now').mockImplementation(() => now);
    server
      .on('POST', OTLP, { status: 404, text: '<h1>Not Found</h1>' })
      .on('GET', INFO, NOT_STORED)
      .on('PUT', ARTIFACT, { json: {} });

    try {
      await sut.export('BytePlus', trace());
      await sut.export('BytePlus', trace());
      now += 10 * 60_000;
      await sut.export('BytePlus', trace());
    } finally {
      clock.mockRestore();
    }

    expect(server.calls().filter((call) => call === `POST ${OTLP}`)).toHaveLength(2);
  });

  it('refuses a remote-parent trace for good when the server has no OTLP', async () => {
    const { sut, server } = setup();
    server.on('POST', OTLP, FILESTORE_501);

    const failure = await sut
      .export('BytePlus', trace({ remoteParent: true }))
      .catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(MlflowExportError);
    expect(failure).toMatchObject({ retryable: false, traceId: TRACE_ID });
  });

  it('refuses an artifact location the tracking server does not serve', async () => {
    const { sut, server } = setup();
    server
      .on('POST', OTLP, FILESTORE_501)
      .on('GET', INFO, NOT_FOUND)
      .on('POST', START, returnedInfo({ 'mlflow.artifactLocation': 's3://bucket/7/traces' }));

    await expect(sut.export('BytePlus', trace())).rejects.toBeInstanceOf(MlflowExportError);
  });

  it('treats a duplicate-key rejection from an old server as already written', async () => {
    const { sut, server } = setup();
    server
      .on('POST', OTLP, { text: '' })
      .on('POST', START, {
        status: 400,
        json: {
          error_code: 'BAD_REQUEST',
          message: 'UNIQUE constraint failed: trace_info.request_id',
        },
      })
      .on('GET', INFO, STORED);

    expect((await sut.export('BytePlus', trace())).spansLocation).toBe('TRACKING_STORE');
  });

  it('re-resolves the experiment once when MLflow rejects it, e.g. after a delete', async () => {
    const { sut, server } = setup();
    let rejected = false;
    server.on('POST', OTLP, { text: '' }).on('POST', START, () => {
      if (rejected) return STORED;
      rejected = true;
      return {
        status: 400,
        json: {
          error_code: 'INVALID_PARAMETER_VALUE',
          message: "The experiment 7 must be in the 'active' state.",
        },
      };
    });

    await sut.export('BytePlus', trace());

    expect(server.calls().filter((call) => call === `GET ${GET_EXPERIMENT}`)).toHaveLength(2);
  });

  it('passes a retryable failure on untouched', async () => {
    const { sut, server } = setup();
    server.on('POST', OTLP, {
      status: 503,
      json: { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'busy' },
    });

    await expect(sut.export('BytePlus', trace())).rejects.toMatchObject({
      retryable: true,
      status: 503,
    });
    expect(server.calls()).toEqual([`GET ${GET_EXPERIMENT}`, `POST ${OTLP}`]);
  });

  describe('with EXPORT_TRACE_INFO=auto', () => {
    function setupAuto(version: string) {
      const server = new FakeFetch()
        .on('GET', GET_EXPERIMENT, {
          json: { experiment: { experiment_id: '7', name: 'BytePlus', lifecycle_stage: 'active' } },
        })
        .on('GET', '/version', { text: version, contentType: 'text/plain' })
        .on('POST', OTLP, { text: '' })
        .on('POST', START, STORED);
      const client = new MlflowClient({ trackingUri: 'http://mlflow', fetch: server.fetch });
      const sut = new MlflowTraceExporter(
        client,
        (name) => new MlflowExperimentResolver(client, name),
      );
      return { sut, server };
    }

    it('sends only the spans to a server that derives the trace info from them (3.14+)', async () => {
      const { sut, server } = setupAuto('3.18.0');

      const result = await sut.export('BytePlus', trace({ tags: { env: 'prod' } }));

      expect(result.traceInfoWritten).toBe(false);
      expect(server.calls()).toEqual([`GET ${GET_EXPERIMENT}`, `POST ${OTLP}`, 'GET /version']);
      const root = decodeExportTraceRequest(server.requests[1].body as Uint8Array).resourceSpans[0]
        .scopeSpans[0].spans[0];
      expect(attributeMap(root.attributes)).toMatchObject({
        'mlflow.traceTag.env': { stringValue: 'prod' },
      });
    });

    it('writes the trace info too on an older server', async () => {
      const { sut, server } = setupAuto('3.10.1');

      const result = await sut.export('BytePlus', trace());

      expect(result.traceInfoWritten).toBe(true);
      expect(server.calls()).toContain(`POST ${START}`);
    });

    it('stops calling link-prompts on a server without the route, and succeeds', async () => {
      const { sut, server } = setupAuto('3.6.0');
      server.on('POST', LINK, { status: 405, text: 'Method Not Allowed' });
      const prompts = { linkedPrompts: [{ name: 'p', version: '1' }] };

      const first = await sut.export('BytePlus', trace(prompts));
      const second = await sut.export('BytePlus', trace(prompts));

      expect([first.linkedPromptCount, second.linkedPromptCount]).toEqual([0, 0]);
      expect(server.calls().filter((call) => call === `POST ${LINK}`)).toHaveLength(1);
    });
  });
});
