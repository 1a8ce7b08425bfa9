import OpenAI from 'openai';
import type { TraceInfoJson } from '../../src/mlflow/trace-info.mapper';
import type { ReadSpan } from '../support/mlflow-reader';
import { eventually, startTracedArkgate, type TracedArkgate } from '../support/traced-arkgate';

jest.setTimeout(120_000);

const EMAIL = 'ann.lee@example.com';
const CARD = '4111 1111 1111 1111';

describe('Trace content is redacted and truncated before MLflow sees it', () => {
  let sut: TracedArkgate;
  let client: OpenAI;

  beforeAll(async () => {
    sut = await startTracedArkgate({
      experimentName: 'arkgate-trace-redaction',
      redisDb: 6,
      env: {
        TRACE_REDACT: 'email,card,password',
        MAX_BODY_BYTES: String(8 * 1024 * 1024),
        MAX_MESSAGE_CHARS: String(4 * 1024 * 1024),
      },
    });
    client = new OpenAI({ apiKey: 'unused', baseURL: `${sut.url}/v1`, maxRetries: 0 });
  });

  afterAll(async () => {
    await sut?.close();
  });

  async function exported(traceId: string): Promise<{ info: TraceInfoJson; spans: ReadSpan[] }> {
    const info = await eventually(async () => {
      const found = await sut.reader.getTraceInfo(traceId);
      return found?.state === 'IN_PROGRESS' ? undefined : found;
    });
    const spans = await eventually(async () => {
      const found = await sut.reader.getTraceSpans(traceId);
      return found.length >= 2 ? found : undefined;
    });
    return { info, spans };
  }

  async function chat(content: string): Promise<string> {
    const { response } = await client.chat.completions
      .create({ model: 'seed-1-6-250615', messages: [{ role: 'user', content }] })
      .withResponse();
    return response.headers.get('x-mlflow-trace-id')!;
  }

  it('exports no e-mail address or card number anywhere, previews included', async () => {
    const traceId = await chat(`I am ${EMAIL}, my card is ${CARD}. Repeat both, please.`);

    const { info, spans } = await exported(traceId);

    const json = JSON.stringify({ info, spans });
    expect(json).not.toContain(EMAIL);
    expect(json).not.toContain(CARD);
    expect(json).not.toContain('4111111111111111');
    expect(info.request_preview).toContain('[REDACTED:email]');
    expect(info.request_preview).toContain('[REDACTED:card]');
  });

  it('replaces a 2 MB message by a truncation marker and still exports the trace', async () => {
    const traceId = await chat('a'.repeat(2 * 1024 * 1024));

    const { info, spans } = await exported(traceId);

    expect(info.state).toBe('OK');
    const root = spans.find((span) => !span.parentSpanId)!;
    expect(JSON.stringify(root)).toContain('"arkgate.truncated"');
    expect(JSON.stringify(spans).length).toBeLessThan(1024 * 1024);
    expect(info.request_preview!.length).toBeLessThanOrEqual(1000);
  });
});
