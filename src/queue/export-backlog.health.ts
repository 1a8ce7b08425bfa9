import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { HealthIndicatorService } from '@nestjs/terminus';
import { operationsConfig } from '../config/operations.config';
import { TraceExportService } from './trace-export.service';

/** Down while more traces wait for export (queued + buffered) than READY_MAX_EXPORT_BACKLOG. */
@Injectable()
export class ExportBacklogHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly exports: TraceExportService,
    @Inject(operationsConfig.KEY) private readonly config: ConfigType<typeof operationsConfig>,
  ) {}

  async isHealthy(key = 'export_backlog') {
    const session = this.health.check(key);
    const queued = await this.exports.driver.backlog().catch(() => 0);
    const backlog = queued + this.exports.bufferedTraces;
    const data = { backlog, max: this.config.readyMaxExportBacklog };
    return backlog > data.max ? session.down(data) : session.up(data);
  }
}
