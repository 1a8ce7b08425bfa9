import { Module } from '@nestjs/common';
import { CacheModule } from '../cache/cache.module';
import { RoutingModule } from '../routing/routing.module';
import { ArkClientFactory, arkClientProvider } from './ark-client.provider';
import { EmbeddingsLlmService } from './embeddings-llm.service';
import { LlmStreamRelay } from './llm-stream.relay';
import { LlmService } from './llm.service';
import { ResponsesLlmService } from './responses-llm.service';
import { UpstreamCallRunner } from './upstream-call.runner';
import { UpstreamTargets } from './upstream-targets';
import { UpstreamHttpAgent } from './upstream-http.agent';

@Module({
  imports: [RoutingModule, CacheModule],
  providers: [
    UpstreamHttpAgent,
    ArkClientFactory,
    arkClientProvider,
    UpstreamCallRunner,
    UpstreamTargets,
    LlmService,
    ResponsesLlmService,
    EmbeddingsLlmService,
    LlmStreamRelay,
  ],
  exports: [LlmService, ResponsesLlmService, EmbeddingsLlmService, LlmStreamRelay],
})
export class LlmModule {}
