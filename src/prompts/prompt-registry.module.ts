import { Logger, Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { mlflowConfig } from '../config/mlflow.config';
import { promptsConfig } from '../config/prompts.config';
import { createRedisConnection } from '../jobs/redis-connection.factory';
import { createMlflowClient } from '../mlflow/mlflow-client.factory';
import { MlflowPromptRegistryClient } from '../mlflow/mlflow-prompt-registry.client';
import { PromptCache } from './prompt.cache';
import type { PromptCacheStore } from './prompt-cache.store';
import { PromptCacheRefresher } from './prompt-cache.refresher';
import { PromptRegistryReader } from './prompt-registry.reader';
import { PROMPT_CACHE_STORE } from './prompts.constants';
import { RedisPromptStore } from './redis-prompt.store';

/**
 * The prompt registry behind its cache, and the job that keeps the cache fresh. No tracing: the
 * worker process runs it too.
 */
@Module({
  providers: [
    {
      provide: PromptRegistryReader,
      inject: [mlflowConfig.KEY, promptsConfig.KEY],
      useFactory: (
        mlflow: ConfigType<typeof mlflowConfig>,
        prompts: ConfigType<typeof promptsConfig>,
      ) =>
        new PromptRegistryReader(
          new MlflowPromptRegistryClient(createMlflowClient(mlflow, prompts.fetchTimeoutMs)),
        ),
    },
    {
      provide: PROMPT_CACHE_STORE,
      inject: [promptsConfig.KEY],
      useFactory: (config: ConfigType<typeof promptsConfig>): PromptCacheStore | null =>
        config.redis ? new RedisPromptStore(createRedisConnection(config.redis, 'producer')) : null,
    },
    {
      provide: PromptCache,
      inject: [PromptRegistryReader, PROMPT_CACHE_STORE, promptsConfig.KEY],
      useFactory: (
        reader: PromptRegistryReader,
        store: PromptCacheStore | null,
        config: ConfigType<typeof promptsConfig>,
      ) => new PromptCache(reader, store, config, new Logger('PromptCache')),
    },
    PromptCacheRefresher,
  ],
  exports: [PromptCache, PromptRegistryReader, PromptCacheRefresher],
})
export class PromptRegistryModule {}
