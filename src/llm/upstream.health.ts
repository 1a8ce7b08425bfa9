import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { LlmService } from './llm.service';

/** Up when ModelArk credentials are configured (ARK_API_KEY); it does not call ModelArk. */
@Injectable()
export class UpstreamHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly llm: LlmService,
  ) {}

  isHealthy(key = 'upstream') {
    const session = this.health.check(key);
    return this.llm.configured ? session.up() : session.down({ message: 'ARK_API_KEY is not set' });
  }
}
