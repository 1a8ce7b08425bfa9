import { Controller, Get, HttpException, Inject, Res } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { HealthCheckService, type HealthIndicatorFunction } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { operationsConfig } from '../config/operations.config';
import { tracingConfig } from '../config/tracing.config';
import { UpstreamHealthIndicator } from '../llm/upstream.health';
import { ExportBacklogHealthIndicator } from '../queue/export-backlog.health';
import { RedisHealthIndicator } from '../queue/redis.health';
import { MlflowHealthIndicator } from '../mlflow/mlflow.health';
import { SkipTracing } from '../tracing/skip-tracing.decorator';
import { HEALTH_DOWN_EXAMPLE, HEALTH_UP_EXAMPLE, LIVE_EXAMPLE } from './health-examples';

/** Terminus' own body (not OpenAI's error envelope): `{status, info, error, details}`. */
@ApiTags('Health')
@SkipTracing()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly upstream: UpstreamHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly mlflow: MlflowHealthIndicator,
    private readonly backlog: ExportBacklogHealthIndicator,
    @Inject(tracingConfig.KEY) private readonly tracing: ConfigType<typeof tracingConfig>,
    @Inject(operationsConfig.KEY) private readonly ops: ConfigType<typeof operationsConfig>,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'The process is up (no dependency is checked)' })
  @ApiOkResponse({ description: 'Live', schema: { example: LIVE_EXAMPLE } })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({
    summary: 'Ready to serve LLM calls',
    description:
      'Checks that ARK_API_KEY is set, Redis is connected (when configured; only reported with ' +
      'READY_REQUIRES_REDIS=false) and the export ' +
      'backlog is below READY_MAX_EXPORT_BACKLOG; reports whether MLflow answers (when tracing is ' +
      'on), and fails on it only with READY_REQUIRES_MLFLOW=true, since exports wait in the queue. ' +
      "The body is terminus' health report, not OpenAI's error envelope.",
  })
  @ApiOkResponse({ description: 'Ready', schema: { example: HEALTH_UP_EXAMPLE } })
  @ApiServiceUnavailableResponse({
    description: 'Not ready; `error` names the failing checks',
    schema: { example: HEALTH_DOWN_EXAMPLE },
  })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<unknown> {
    const checks: HealthIndicatorFunction[] = [() => this.upstream.isHealthy()];
    if (this.redis.used) {
      checks.push(() =>
        this.ops.readyRequiresRedis ? this.redis.isHealthy() : this.redis.report(),
      );
    }
    if (this.tracing.enabled) {
      checks.push(() =>
        this.ops.readyRequiresMlflow ? this.mlflow.isHealthy() : this.mlflow.report(),
      );
    }
    checks.push(() => this.backlog.isHealthy());
    try {
      return await this.health.check(checks);
    } catch (error) {
      // Answer with terminus' report itself, which the global filter would rewrap.
      if (!(error instanceof HttpException)) throw error;
      void reply.status(error.getStatus());
      return error.getResponse();
    }
  }
}
