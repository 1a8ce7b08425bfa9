import { Module } from '@nestjs/common';
import { LlmModule } from '../llm/llm.module';
import { ChatCompletionsController } from './chat-completions.controller';
import { ChatCompletionsService } from './chat-completions.service';
import { ModelsController } from './models.controller';

@Module({
  imports: [LlmModule],
  controllers: [ChatCompletionsController, ModelsController],
  providers: [ChatCompletionsService],
})
export class OpenAiCompatModule {}
