import { FactoryProvider } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import OpenAI from 'openai';
import { arkConfig } from '../config/ark.config';
import { ARK_CLIENT } from './llm.constants';

/** One OpenAI SDK client per process, pointed at ModelArk; `null` when ARK_API_KEY is not set. */
export const arkClientProvider: FactoryProvider<OpenAI | null> = {
  provide: ARK_CLIENT,
  inject: [arkConfig.KEY],
  useFactory: (config: ConfigType<typeof arkConfig>) =>
    config.apiKey
      ? new OpenAI({
          apiKey: config.apiKey,
          baseURL: config.baseUrl,
          timeout: config.timeoutMs,
          maxRetries: config.maxRetries,
        })
      : null,
};
