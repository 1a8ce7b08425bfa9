import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ChatModule } from './chat/chat.module';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter';
import { ConfigModule } from './config/config.module';
import { HealthModule } from './health/health.module';
import { OpenAiCompatModule } from './openai-compat/openai-compat.module';
import { TracingModule } from './tracing/tracing.module';

@Module({
  imports: [ConfigModule, TracingModule, OpenAiCompatModule, ChatModule, HealthModule],
  providers: [{ provide: APP_FILTER, useClass: AllExceptionsFilter }],
})
export class AppModule {}
