import { MlflowClient } from './mlflow.client';
import { MlflowPath, MlflowPromptTag } from './mlflow.constants';
import type { ModelVersionJson, RegisteredModelJson } from './mlflow-registry.model';

const SEARCH_REGISTERED_MODELS = '/api/2.0/mlflow/registered-models/search';

/** MLflow 3.x leaves prompts out of a registered-model search unless the filter asks for them. */
const PROMPTS_FILTER = `tags.\`${MlflowPromptTag.isPrompt}\` = 'true'`;

/** One page of `registered-models/search`. */
export interface RegisteredModelPageJson {
  registered_models?: RegisteredModelJson[];
  next_page_token?: string;
}

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

  /**
   * GET registered-models/search for prompts only, one page. Each prompt comes with its aliases
   * and `latest_versions` (for prompts, the newest version, with its commit message).
   */
  async searchPrompts(maxResults: number, pageToken?: string): Promise<RegisteredModelPageJson> {
    const page = await this.client.get<RegisteredModelPageJson | undefined>(
      SEARCH_REGISTERED_MODELS,
      { filter: PROMPTS_FILTER, max_results: String(maxResults), page_token: pageToken },
    );
    return page ?? {};
  }
}
