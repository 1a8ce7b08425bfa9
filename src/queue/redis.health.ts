import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { HealthIndicatorService } from '@nestjs/terminus';
import { exportConfig } from '../config/export.config';
import { describeRedisTopology } from '../config/redis-topology';
import { BullmqTraceExportDriver } from './bullmq-trace-export.driver';
import { TraceExportService } from './trace-export.service';

/** Up while the export queue's Redis connection is ready; only checked when Redis is configured. */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly exports: TraceExportService,
    @Inject(exportConfig.KEY) private readonly config: ConfigType<typeof exportConfig>,
  ) {}

  get used(): boolean {
    return this.exports.driver instanceof BullmqTraceExportDriver;
  }

  isHealthy(key = 'redis') {
    const session = this.health.check(key);
    const problem = this.problem();
    return problem === undefined ? session.up() : session.down({ message: problem });
  }

  /** Reports the connection without failing the check (READY_REQUIRES_REDIS=false). */
  report(key = 'redis') {
    const problem = this.problem();
    return this.health
      .check(key)
      .up(problem === undefined ? { reachable: true } : { reachable: false, message: problem });
  }

  private problem(): string | undefined {
    const { driver } = this.exports;
    if (!(driver instanceof BullmqTraceExportDriver)) return 'Redis is not configured';
    if (driver.ready) return undefined;
    const target = this.config.redis ? describeRedisTopology(this.config.redis) : 'Redis';
    const reason = driver.connectionProblem;
    return `Redis is not connected (${target})${reason ? `: ${reason}` : ''}`;
  }
}
