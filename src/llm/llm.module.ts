import { Module } from '@nestjs/common';
import { arkClientProvider } from './ark-client.provider';
import { LlmService } from './llm.service';

@Module({
  providers: [arkClientProvider, LlmService],
  exports: [LlmService],
})
export class LlmModule {}
