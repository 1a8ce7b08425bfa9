/** A `{key, value}` tag as the model registry writes it (a list, not a map). */
export interface RegistryTagJson {
  key: string;
  value: string;
}

/** ModelVersion in protobuf-JSON form (model_registry.proto); a prompt version is one. */
export interface ModelVersionJson {
  name: string;
  version: string;
  creation_timestamp?: number;
  last_updated_timestamp?: number;
  description?: string;
  source?: string;
  status?: string;
  tags?: RegistryTagJson[];
  aliases?: string[];
}

/** RegisteredModel in protobuf-JSON form; a prompt is one tagged `mlflow.prompt.is_prompt`. */
export interface RegisteredModelJson {
  name: string;
  description?: string;
  creation_timestamp?: number;
  last_updated_timestamp?: number;
  latest_versions?: ModelVersionJson[];
  tags?: RegistryTagJson[];
  aliases?: { alias: string; version: string }[];
}
