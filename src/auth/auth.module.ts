import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { BudgetsModule } from '../budgets/budgets.module';
import { authConfig } from '../config/auth.config';
import { loadApiKeys } from './api-key.parser';
import { ApiKeyStore } from './api-key.store';
import { API_KEYS, RATE_LIMIT_STORE } from './auth.constants';
import { AuthGuard } from './auth.guard';
import { AuthPolicy } from './auth.policy';
import { BrowserTokenService } from './browser-token.service';
import type { ApiKeyEntry } from './principal.model';
import { MemoryRateLimitStore } from './memory-rate-limit.store';
import { RateLimiter } from './rate-limiter';
import { RedisRateLimitStore } from './redis-rate-limit.store';
import { TokensController } from './tokens.controller';
import { UsageInterceptor } from './usage.interceptor';

/** API keys, browser tokens and per-key rate limits for every /v1 route. */
@Module({
  imports: [BudgetsModule],
  controllers: [TokensController],
  providers: [
    {
      provide: API_KEYS,
      inject: [authConfig.KEY],
      useFactory: (config: ConfigType<typeof authConfig>) => loadApiKeys(config.apiKeys),
    },
    {
      provide: RATE_LIMIT_STORE,
      inject: [authConfig.KEY, API_KEYS],
      // Redis only when some limit is on, so a deployment without limits opens no connection.
      useFactory: (config: ConfigType<typeof authConfig>, keys: ApiKeyEntry[]) => {
        const limited = config.rpm > 0 || config.tpm > 0 || keys.some((key) => key.rpm || key.tpm);
        return config.redis && limited
          ? new RedisRateLimitStore(config.redis)
          : new MemoryRateLimitStore();
      },
    },
    ApiKeyStore,
    AuthPolicy,
    BrowserTokenService,
    RateLimiter,
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_INTERCEPTOR, useClass: UsageInterceptor },
  ],
})
export class AuthModule {}
