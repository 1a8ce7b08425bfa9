import { MlflowClient } from './mlflow.client';
import { MlflowPath } from './mlflow.constants';
import type { ModelVersionJson, RegisteredModelJson } from './mlflow-registry.model';

/**
 * Reads MLflow's prompt registry, which OSS MLflow keeps as registered models and model versions
 * with prompt tags. Failures are MlflowRequestErrors, as from every MlflowClient call.
 */
export class MlflowPromptRegistryClient {
  constructor(private readonly client: MlflowClient) {}

  /** GET model-versions/get; RESOURCE_DOES_NOT_EXIST (404) for an unknown name or version. */
  async getVersion(name: string, version: string): Promise<ModelVersionJson> {
    const found = await this.client.get<{ model_version: ModelVersionJson }>(
      MlflowPath.modelVersion,
      { name, version },
    );
    return found.model_version;
  }

  /**
   * GET registered-models/alias. `latest` resolves to the newest version. An unknown name is a
   * 404; MLflow 3.18 answers an unknown alias with 400 INVALID_PARAMETER_VALUE.
   */
  async getVersionByAlias(name: string, alias: string): Promise<ModelVersionJson> {
    const found = await this.client.get<{ model_version: ModelVersionJson }>(
      MlflowPath.registeredModelAlias,
      { name, alias },
    );
    return found.model_version;
  }

  /** GET registered-models/get: the prompt's own tags and its alias → version map. */
  async getRegisteredModel(name: string): Promise<RegisteredModelJson> {
    const found = await this.client.get<{ registered_model: RegisteredModelJson }>(
      MlflowPath.registeredModel,
      { name },
    );
    return found.registered_model;
  }
}
