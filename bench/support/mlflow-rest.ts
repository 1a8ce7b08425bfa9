import { postJson } from './http';

// traces/search takes at most 500 per page on 3.18 (1000 is a 400).
const PAGE_SIZE = 500;

/** The few MLflow REST calls the bench needs to set up and check an export. */
export class MlflowRest {
  constructor(private readonly trackingUri: string) {}

  async createExperiment(name: string): Promise<string> {
    const created = await postJson<{ experiment_id: string }>(
      `${this.trackingUri}/api/2.0/mlflow/experiments/create`,
      { name },
    );
    return created.experiment_id;
  }

  async experimentId(name: string): Promise<string | undefined> {
    const response = await fetch(
      `${this.trackingUri}/api/2.0/mlflow/experiments/get-by-name?experiment_name=${encodeURIComponent(name)}`,
    );
    if (response.status === 404) return undefined;
    const body = (await response.json()) as { experiment?: { experiment_id: string } };
    return body.experiment?.experiment_id;
  }

  /** Traces stored in the experiment, counted through every page of traces/search. */
  async countTraces(experimentId: string): Promise<number> {
    let count = 0;
    let pageToken: string | undefined;
    do {
      const page = await postJson<{ traces?: unknown[]; next_page_token?: string }>(
        `${this.trackingUri}/api/3.0/mlflow/traces/search`,
        {
          locations: [
            { type: 'MLFLOW_EXPERIMENT', mlflow_experiment: { experiment_id: experimentId } },
          ],
          max_results: PAGE_SIZE,
          page_token: pageToken,
        },
      );
      count += page.traces?.length ?? 0;
      pageToken = page.next_page_token || undefined;
    } while (pageToken);
    return count;
  }
}
