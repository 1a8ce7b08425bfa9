import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { BullmqTraceExportDriver } from './bullmq-trace-export.driver';
import { TraceExportService } from './trace-export.service';

/** Up while the export queue's Redis connection is ready; only checked when REDIS_URL is set. */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly exports: TraceExportService,
  ) {}

  get used(): boolean {
    return this.exports.driver instanceof BullmqTraceExportDriver;
  }

  isHealthy(key = 'redis') {
    const session = this.health.check(key);
    const { driver } = this.exports;
    const ready = driver instanceof BullmqTraceExportDriver && driver.ready;
    return ready ? session.up() : session.down({ message: 'Redis is not connected' });
  }
}
