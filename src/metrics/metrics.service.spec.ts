import { MetricsService } from './metrics.service';

async function valueOf(sut: MetricsService, name: string, labels: Record<string, string> = {}) {
  const metric = sut.registry.getSingleMetric(name);
  const { values } = await metric!.get();
  const found = values.find((value) =>
    Object.entries(labels).every(([key, label]) => value.labels[key] === label),
  );
  return found?.value;
}

describe(MetricsService.name, () => {
  it('counts reported tokens by model and direction, skipping missing counts', async () => {
    const sut = new MetricsService();

    sut.observeTokens('seed', 12, 30);
    sut.observeTokens('seed', 3, null);

    expect(await valueOf(sut, 'arkgate_llm_tokens_total', { direction: 'input' })).toBe(15);
    expect(await valueOf(sut, 'arkgate_llm_tokens_total', { direction: 'output' })).toBe(30);
  });

  it('counts a retryable export failure as a retry, a permanent one not', async () => {
    const sut = new MetricsService();

    sut.recordExportFailure(false);
    sut.recordExportFailure(true);

    expect(await valueOf(sut, 'arkgate_export_failures_total', { permanent: 'false' })).toBe(1);
    expect(await valueOf(sut, 'arkgate_export_failures_total', { permanent: 'true' })).toBe(1);
    expect(await valueOf(sut, 'arkgate_export_retries_total')).toBe(1);
  });

  it('counts prompt cache hits and misses for the prompt cache', async () => {
    const sut = new MetricsService();

    sut.recordPromptCache('hit');
    sut.recordPromptCache('hit');
    sut.recordPromptCache('miss');

    expect(await valueOf(sut, 'arkgate_prompt_cache_total', { result: 'hit' })).toBe(2);
    expect(await valueOf(sut, 'arkgate_prompt_cache_total', { result: 'miss' })).toBe(1);
  });

  it('reads gauges and external counters when scraped', async () => {
    const sut = new MetricsService();
    let depth = 4;
    let dropped = 1;
    sut.addGauge('test_depth', 'depth', () => Promise.resolve(depth));
    sut.addCounter('test_dropped_total', 'dropped', () => dropped);

    expect((await sut.render()).body).toContain('test_depth 4');
    depth = 7;
    dropped = 5;
    const { body } = await sut.render();

    expect(body).toContain('test_depth 7');
    expect(body).toContain('test_dropped_total 5');
  });

  it('keeps a registry per instance, so two apps in one process do not collide', () => {
    expect(() => [new MetricsService(), new MetricsService()]).not.toThrow();
  });
});
