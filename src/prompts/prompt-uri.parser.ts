import { MLFLOW_LATEST_ALIAS } from '../mlflow/mlflow.constants';
import { PromptErrors } from './prompt.errors';
import type { PromptRef } from './prompt-ref.model';

/** MLflow's prompt name rule (mlflow/prompt/constants.py). */
const NAME = /^[a-zA-Z0-9_.-]+$/;
/** MLflow's alias rule (`^[\w\-]*$`, at most 255 characters). */
const ALIAS = /^[\w-]{1,255}$/;
const VERSION = /^[1-9][0-9]{0,9}$/;
const SCHEME = 'prompts:/';

export interface PromptReferenceFields {
  uri?: string;
  name?: string;
  version?: number | string;
  alias?: string;
}

/** `prompts:/<name>/<version>` or `prompts:/<name>@<alias>`; anything else is a 400. */
export function parsePromptUri(uri: string, param = 'prompt.uri'): PromptRef {
  const invalid = (why: string) =>
    PromptErrors.invalidReference(
      `Invalid prompt URI "${uri}": ${why} (expected prompts:/<name>/<version> or prompts:/<name>@<alias>)`,
      param,
    );
  if (!uri.startsWith(SCHEME)) throw invalid(`it must start with "${SCHEME}"`);
  const path = uri.slice(SCHEME.length);
  const at = path.lastIndexOf('@');
  const slash = path.lastIndexOf('/');
  if (at > 0 && slash < 0) {
    return checked({ name: path.slice(0, at), alias: path.slice(at + 1) }, param, uri);
  }
  if (slash > 0 && at < 0) {
    return checked({ name: path.slice(0, slash), version: path.slice(slash + 1) }, param, uri);
  }
  throw invalid('it names no version or alias');
}

/** The reference a request's `prompt` object means: a URI, or a name with a version or an alias. */
export function toPromptRef(fields: PromptReferenceFields, param = 'prompt'): PromptRef {
  const { uri, name, version, alias } = fields;
  if (uri !== undefined) {
    if (name !== undefined || version !== undefined || alias !== undefined) {
      throw PromptErrors.invalidReference(
        'Give either prompt.uri or prompt.name (with version or alias), not both',
        `${param}.uri`,
      );
    }
    return parsePromptUri(uri, `${param}.uri`);
  }
  if (name === undefined) {
    throw PromptErrors.invalidReference(
      'prompt needs a uri or a name (with version or alias)',
      param,
    );
  }
  if (version !== undefined && alias !== undefined) {
    throw PromptErrors.invalidReference(
      'Give prompt.version or prompt.alias, not both',
      `${param}.alias`,
    );
  }
  if (version !== undefined) return checked({ name, version: String(version) }, param);
  return checked({ name, alias: alias ?? MLFLOW_LATEST_ALIAS }, param);
}

function checked(ref: PromptRef, param: string, uri?: string): PromptRef {
  const reject = (field: 'name' | 'version' | 'alias', why: string) =>
    PromptErrors.invalidReference(
      uri === undefined ? why : `Invalid prompt URI "${uri}": ${why}`,
      uri === undefined ? `${param}.${field}` : param,
    );
  if (!NAME.test(ref.name)) {
    throw reject(
      'name',
      `Invalid prompt name "${ref.name}": use letters, digits, "_", "-" and "."`,
    );
  }
  if (ref.version !== undefined && !VERSION.test(ref.version)) {
    throw reject(
      'version',
      `Invalid prompt version "${ref.version}": a version is a positive integer`,
    );
  }
  if (ref.alias !== undefined && !ALIAS.test(ref.alias)) {
    throw reject('alias', `Invalid prompt alias "${ref.alias}": use letters, digits, "_" and "-"`);
  }
  return ref;
}
