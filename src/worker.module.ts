import { Module } from '@nestjs/common';
import { ConfigModule } from './config/config.module';
import { FeedbackModule } from './feedback/feedback.module';
import { PromptRegistryModule } from './prompts/prompt-registry.module';
import { QueueModule } from './queue/queue.module';

/**
 * The worker alone: no HTTP server, the same providers as the API process for trace export,
 * feedback assessments and the prompt alias refresh.
 */
@Module({ imports: [ConfigModule, QueueModule, FeedbackModule, PromptRegistryModule] })
export class WorkerModule {}
