import { Global, Module } from '@nestjs/common';
import { PromptRegistryModule } from './prompt-registry.module';
import { PromptService } from './prompt.service';
import { PromptsController } from './prompts.controller';

/** Prompts from MLflow's registry for every chat route, and the route that describes them. */
@Global()
@Module({
  imports: [PromptRegistryModule],
  controllers: [PromptsController],
  providers: [PromptService],
  exports: [PromptService],
})
export class PromptsModule {}
