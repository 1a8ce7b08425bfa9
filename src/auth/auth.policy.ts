import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { authConfig } from '../config/auth.config';
import { ApiKeyStore } from './api-key.store';

/** Whether /v1 requires credentials; says so loudly at boot when it does not or cannot. */
@Injectable()
export class AuthPolicy implements OnApplicationBootstrap {
  private readonly logger = new Logger('Auth');

  constructor(
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
    private readonly keys: ApiKeyStore,
  ) {}

  /** True only when GATEWAY_AUTH=off was set explicitly. */
  get disabled(): boolean {
    return this.config.disabled;
  }

  onApplicationBootstrap(): void {
    if (this.config.disabled) {
      this.logger.warn(
        'GATEWAY_AUTH=off: every /v1 route is open to anyone who can reach arkgate. Do not run this in production.',
      );
    } else if (this.keys.size === 0) {
      this.logger.error(
        'No GATEWAY_API_KEYS configured: every /v1 request will be refused with 401. ' +
          'Set GATEWAY_API_KEYS (name:key,...) or GATEWAY_AUTH=off.',
      );
    } else if (!this.config.tokenSecret) {
      this.logger.log(
        `${this.keys.size} API key(s) loaded; browser tokens are off (no GATEWAY_TOKEN_SECRET)`,
      );
    } else {
      this.logger.log(`${this.keys.size} API key(s) loaded; browser tokens are on`);
    }
  }
}
