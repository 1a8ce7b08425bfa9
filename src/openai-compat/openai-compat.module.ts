import { Module } from '@nestjs/common';
import { LlmModule } from '../llm/llm.module';
import { ChatCompletionsController } from './chat-completions.controller';
import { ChatCompletionsService } from './chat-completions.service';
import { EmbeddingsController } from './embeddings.controller';
import { EmbeddingsService } from './embeddings.service';
import { ModelsController } from './models.controller';
import { ResponsesController } from './responses.controller';
import { ResponsesService } from './responses.service';

@Module({
  imports: [LlmModule],
  controllers: [
    ChatCompletionsController,
    ResponsesController,
    EmbeddingsController,
    ModelsController,
  ],
  providers: [ChatCompletionsService, ResponsesService, EmbeddingsService],
})
export class OpenAiCompatModule {}
