import { Module } from '@nestjs/common';
import { ConfigModule as NestConfigModule } from '@nestjs/config';
import { appConfig } from './app.config';
import { arkConfig } from './ark.config';
import { authConfig } from './auth.config';
import { cacheConfig } from './cache.config';
import { exportConfig } from './export.config';
import { feedbackConfig } from './feedback.config';
import { limitsConfig } from './limits.config';
import { mlflowConfig } from './mlflow.config';
import { operationsConfig } from './operations.config';
import { promptsConfig } from './prompts.config';
import { tracingConfig } from './tracing.config';
import { validateEnv } from './env.validation';

/** Validates the environment once at boot (naming every bad variable) and serves typed namespaces. */
@Module({
  imports: [
    NestConfigModule.forRoot({
      isGlobal: true,
      ignoreEnvFile: true,
      load: [
        appConfig,
        arkConfig,
        tracingConfig,
        mlflowConfig,
        exportConfig,
        promptsConfig,
        feedbackConfig,
        authConfig,
        operationsConfig,
        limitsConfig,
        cacheConfig,
      ],
      validate: (raw) => {
        validateEnv(raw);
        return raw;
      },
    }),
  ],
})
export class ConfigModule {}
