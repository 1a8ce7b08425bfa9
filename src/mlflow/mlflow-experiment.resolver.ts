import { MlflowClient } from './mlflow.client';
import { MlflowErrorCode, MlflowPath } from './mlflow.constants';
import { MlflowRequestError } from './mlflow-request.error';

interface ExperimentJson {
  experiment_id: string;
  name: string;
  lifecycle_stage?: string;
}

export interface MlflowExperimentResolverLogger {
  warn(message: string): void;
}

/**
 * Finds the experiment traces go to by name, creating it on first use, and looks again every
 * `recheckMs`. A deleted experiment of that name is restored: MLflow keeps deleted names
 * reserved, so the only alternative would be failing every export until an operator intervenes.
 * The re-check matters because OTLP ingest does not refuse a deleted experiment: without it,
 * traces would go on landing in the trash.
 */
export class MlflowExperimentResolver {
  private pending: Promise<string> | undefined;
  private resolvedAt = 0;

  constructor(
    private readonly client: MlflowClient,
    private readonly experimentName: string,
    private readonly logger?: MlflowExperimentResolverLogger,
    private readonly recheckMs = 60_000,
  ) {}

  get name(): string {
    return this.experimentName;
  }

  /** Resolves to the experiment id; a failed look-up is not cached, so the next call retries. */
  resolve(): Promise<string> {
    if (this.pending && Date.now() - this.resolvedAt >= this.recheckMs) {
      this.pending = undefined;
    }
    if (!this.pending) {
      this.resolvedAt = Date.now();
      this.pending = this.lookUpOrCreate().catch((error: unknown) => {
        this.pending = undefined;
        throw error;
      });
    }
    return this.pending;
  }

  /** Forgets the cached id, e.g. after the server said the experiment is gone or inactive. */
  invalidate(): void {
    this.pending = undefined;
  }

  private async lookUpOrCreate(): Promise<string> {
    const existing = await this.findByName();
    if (existing) return this.activate(existing);
    try {
      const created = await this.client.post<{ experiment_id: string }>(
        MlflowPath.createExperiment,
        { name: this.experimentName },
      );
      return created.experiment_id;
    } catch (error) {
      if (!isCode(error, MlflowErrorCode.resourceAlreadyExists)) throw error;
      const winner = await this.findByName();
      if (!winner) throw error;
      return this.activate(winner);
    }
  }

  private async findByName(): Promise<ExperimentJson | undefined> {
    try {
      const found = await this.client.get<{ experiment: ExperimentJson }>(
        MlflowPath.experimentByName,
        { experiment_name: this.experimentName },
      );
      return found.experiment;
    } catch (error) {
      if (isCode(error, MlflowErrorCode.resourceDoesNotExist)) return undefined;
      throw error;
    }
  }

  private async activate(experiment: ExperimentJson): Promise<string> {
    if (experiment.lifecycle_stage === 'deleted') {
      this.logger?.warn(
        `MLflow experiment "${experiment.name}" (${experiment.experiment_id}) was deleted; restoring it`,
      );
      await this.client.post(MlflowPath.restoreExperiment, {
        experiment_id: experiment.experiment_id,
      });
    }
    return experiment.experiment_id;
  }
}

function isCode(error: unknown, errorCode: string): boolean {
  return error instanceof MlflowRequestError && error.errorCode === errorCode;
}
