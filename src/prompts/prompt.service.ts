import { Inject, Injectable, Optional } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { GatewayError } from '../common/errors/gateway.error';
import { checkRequestLimits } from '../common/http/request-limits.validator';
import { limitsConfig } from '../config/limits.config';
import type { ChatParams } from '../llm/llm-call.model';
import { MetricsService } from '../metrics/metrics.service';
import type { ActiveSpan } from '../tracing/active-span';
import { MLFLOW_LATEST_ALIAS, MlflowSpanAttribute } from '../mlflow/mlflow.constants';
import { Tracer } from '../tracing/tracer';
import { PromptCache, type ResolvedPrompt } from './prompt.cache';
import { PromptErrors } from './prompt.errors';
import type { PromptDescriptionDto } from './prompt-description.model';
import { PROMPT_LIST_DEFAULT_SIZE } from './prompt-list-query.dto';
import type { PromptListDto } from './prompt-list.model';
import { buildPromptMessages, modelConfigDefaults } from './prompt-messages.builder';
import { type PromptRef, promptRefUri } from './prompt-ref.model';
import type { PromptReferenceDto } from './prompt-reference.dto';
import { PromptRegistryReader } from './prompt-registry.reader';
import { renderPrompt } from './prompt-template.renderer';
import { toPromptRef } from './prompt-uri.parser';
import { PromptSpanAttribute } from './prompts.constants';

/** Applies prompts from MLflow's registry to chat requests, and describes them. */
@Injectable()
export class PromptService {
  constructor(
    private readonly cache: PromptCache,
    private readonly reader: PromptRegistryReader,
    private readonly tracer: Tracer,
    @Inject(limitsConfig.KEY) private readonly limits: ConfigType<typeof limitsConfig>,
    @Optional() private readonly metrics?: MetricsService,
  ) {}

  /**
   * The chat params with `prompt` applied: its rendered messages first, its model config as
   * defaults under the request's own values. `prompt` itself is never in the result.
   */
  async apply<T extends ChatParams>(prompt: PromptReferenceDto | undefined, params: T): Promise<T> {
    const { prompt: _ignored, ...rest } = params as T & { prompt?: unknown };
    if (!prompt) return rest as T;
    const ref = toPromptRef(prompt);
    const variables = prompt.variables ?? {};
    const span = this.tracer.startSpan(`prompt:${ref.name}`, 'PARSER');
    span?.setInputs({ uri: promptRefUri(ref), variables });
    span?.setAttribute(PromptSpanAttribute.uri, promptRefUri(ref));
    try {
      const resolved = await this.tracer.run(span, () => this.cache.resolve(ref));
      this.link(span, resolved);
      const rendered = renderPrompt(this.usable(resolved), variables);
      const messages = buildPromptMessages(rendered, (rest.messages as object[] | undefined) ?? []);
      span?.setOutputs({ messages });
      const merged: Record<string, unknown> = { ...rest, messages };
      for (const [key, value] of Object.entries(modelConfigDefaults(resolved.prompt.modelConfig))) {
        if (merged[key] === undefined) merged[key] = value;
      }
      this.checkLimits(ref.name, merged);
      return merged as T;
    } catch (error) {
      span?.recordException(error);
      throw error;
    } finally {
      span?.end();
    }
  }

  /** The request limits hold for what is sent, rendered prompt and its model config included. */
  private checkLimits(name: string, rendered: Record<string, unknown>): void {
    try {
      checkRequestLimits(rendered, this.limits);
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error;
      throw new GatewayError(`With prompt "${name}" rendered: ${error.message}`, {
        status: error.status,
        code: error.code,
        type: error.type,
        param: error.param,
      });
    }
  }

  /** A version (by number or alias, else the latest) with its variables and aliases. */
  async describe(
    name: string,
    selector: { version?: string; alias?: string },
  ): Promise<PromptDescriptionDto> {
    const { version, alias } = selector;
    const ref: PromptRef = toPromptRef(
      version === undefined && alias === undefined
        ? { name, alias: MLFLOW_LATEST_ALIAS }
        : { name, version, alias },
    );
    const { prompt } = await this.cache.resolve(ref);
    const description: PromptDescriptionDto = {
      name: prompt.name,
      version: prompt.version,
      uri: promptRefUri({ name: prompt.name, version: prompt.version }),
      type: prompt.type,
      template: prompt.template,
      variables: prompt.variables,
    };
    if (prompt.modelConfig) description.modelConfig = prompt.modelConfig;
    if (prompt.responseFormat !== undefined) description.responseFormat = prompt.responseFormat;
    if (prompt.commitMessage) description.commitMessage = prompt.commitMessage;
    // Aliases move: read them fresh, and leave them out when the registry cannot say.
    const info = await this.reader.info(prompt.name).catch(() => undefined);
    if (info) {
      description.aliases = Object.entries(info.aliases)
        .filter(([, version]) => version === prompt.version)
        .map(([alias]) => alias);
    }
    return description;
  }

  /** One page of the registry's prompts, read fresh (not cached): names, newest versions, aliases. */
  list(query: { max_results?: number; page_token?: string }): Promise<PromptListDto> {
    return this.reader.list(query.max_results ?? PROMPT_LIST_DEFAULT_SIZE, query.page_token);
  }

  private usable({ prompt }: ResolvedPrompt) {
    if (prompt.syntax === 'jinja2') {
      throw PromptErrors.unsupported(
        prompt.name,
        prompt.version,
        'it uses Jinja2 control flow ({% ... %}), which arkgate does not render',
      );
    }
    return prompt;
  }

  /** Links the version to the span that loaded it and to the trace (tag and link-prompts). */
  private link(span: ActiveSpan | null, resolved: ResolvedPrompt): void {
    const { name, version } = resolved.prompt;
    const { source } = resolved;
    this.metrics?.recordPromptCache(
      source === 'registry' ? 'miss' : source === 'stale' ? 'stale' : 'hit',
    );
    span?.setAttributes({
      [MlflowSpanAttribute.linkedPrompts]: JSON.stringify([{ name, version }]),
      [PromptSpanAttribute.version]: version,
      [PromptSpanAttribute.source]: resolved.source,
    });
    if (resolved.source === 'stale') {
      span?.addEvent('prompt_cache_stale', {
        [PromptSpanAttribute.ageMs]: Date.now() - resolved.fetchedAt,
      });
    }
    const linked = this.tracer.currentRoot()?.trace.linkedPrompts;
    if (linked && !linked.some((item) => item.name === name && item.version === version)) {
      linked.push({ name, version });
    }
  }
}
