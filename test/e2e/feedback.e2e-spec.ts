import { ArkgateHarness, startArkgate } from '../support/arkgate.harness';
import { freePort as closedPort } from '../support/child-services';
import { getJson, Json, postJson } from './json.client';

const TRACE_ID = 'tr-4bf92f3577b34da6a3ce929d0e0e4736';

describe('POST /v1/traces/{traceId}/feedback', () => {
  describe('without Redis (in-process queue)', () => {
    let sut: ArkgateHarness;

    beforeAll(async () => {
      sut = await startArkgate({
        env: { MLFLOW_TRACKING_URI: `http://127.0.0.1:${await closedPort()}` },
      });
    });

    afterAll(() => sut.close());

    it('answers 202 with the job, the name and the key to retry with', async () => {
      const answer = await postJson(
        `${sut.url}/v1/traces/${TRACE_ID}/feedback`,
        { value: true, rationale: 'Great' },
        { 'content-type': 'application/json', 'idempotency-key': 'k-1' },
      );

      expect(answer.status).toBe(202);
      expect(answer.body).toEqual({
        status: 'queued',
        traceId: TRACE_ID,
        name: 'user_feedback',
        jobId: expect.stringMatching(new RegExp(`^fb-${TRACE_ID}-[0-9a-f]{32}$`)),
        idempotencyKey: 'k-1',
      });
      expect(answer.headers.get('x-mlflow-trace-id')).toBeNull();
    });

    it('gives the same job to a retried submission and a new one to other feedback', async () => {
      const send = (body: object) => postJson(`${sut.url}/v1/traces/${TRACE_ID}/feedback`, body);
      const first = await send({ value: 3, idempotencyKey: 'k-2' });
      const retried = await send({ value: 3, idempotencyKey: 'k-2' });
      const other = await send({ value: 3 });

      expect(retried.body.jobId).toBe(first.body.jobId);
      expect(other.body.jobId).not.toBe(first.body.jobId);
      expect(other.body.idempotencyKey).toMatch(/^arkgate-/);
    });

    it.each([
      ['tr-abc', { value: true }, 'traceId', 'traceId must be "tr-" followed by 32'],
      [TRACE_ID, {}, 'value', 'value must be a boolean, a finite number or a non-empty string'],
      [TRACE_ID, { value: [1] }, 'value', 'value must be'],
      [TRACE_ID, { value: null }, 'value', 'value must be'],
      [TRACE_ID, { value: true, name: 'a.b' }, 'name', 'name must not contain "."'],
      [TRACE_ID, { value: true, spanId: 'ABC' }, 'spanId', 'spanId must be 16'],
      [TRACE_ID, { value: true, userId: '' }, 'userId', 'userId should not be empty'],
    ])('rejects %s %j with a 400 naming %s', async (traceId, body, param, message) => {
      const answer = await postJson(`${sut.url}/v1/traces/${traceId}/feedback`, body);

      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatchObject({ type: 'invalid_request_error', param });
      expect(answer.body.error.message).toContain(message);
    });

    it('is documented with its 202 answer, the Idempotency-Key header and an example', async () => {
      const document: Json = (await getJson(`${sut.url}/docs-json`)).body;
      const operation = document.paths['/v1/traces/{traceId}/feedback'].post;

      expect(operation.tags).toEqual(['Feedback']);
      expect(operation.responses['202'].content['application/json'].example).toMatchObject({
        status: 'queued',
      });
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['400', '503']));
      expect(operation.parameters.map((parameter: Json) => parameter.name)).toEqual(
        expect.arrayContaining(['traceId', 'Idempotency-Key']),
      );
      expect(document.components.schemas.FeedbackRequestDto.required).toEqual(['value']);
    });
  });

  describe('with Redis unreachable', () => {
    let sut: ArkgateHarness;

    beforeAll(async () => {
      sut = await startArkgate({
        env: { REDIS_URL: `redis://127.0.0.1:${await closedPort()}`, WORKER_ENABLED: 'false' },
      });
    });

    afterAll(() => sut.close());

    it('answers 503 with retry-after, so the client retries with its key', async () => {
      const answer = await postJson(`${sut.url}/v1/traces/${TRACE_ID}/feedback`, {
        value: false,
        idempotencyKey: 'k-3',
      });

      expect(answer.status).toBe(503);
      expect(answer.headers.get('retry-after')).toBe('5');
      expect(answer.body.error).toMatchObject({
        type: 'service_unavailable_error',
        code: 'feedback_queue_unavailable',
      });
    });
  });
});
