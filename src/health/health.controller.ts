import { Controller, Get, HttpCode, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { LlmService } from '../llm/llm.service';
import { SkipTracing } from '../tracing/skip-tracing.decorator';

@ApiTags('Health')
@SkipTracing()
@Controller('health')
export class HealthController {
  constructor(private readonly llm: LlmService) {}

  @Get('live')
  @ApiOperation({ summary: 'The process is up' })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @HttpCode(200)
  @ApiOperation({ summary: 'Ready to serve LLM calls (503 when ModelArk is not configured)' })
  ready() {
    const upstream = this.llm.configured ? 'up' : 'down';
    if (upstream === 'down') {
      throw new ServiceUnavailableException('Not ready: ARK_API_KEY is not set');
    }
    return { status: 'ok', checks: { upstream } };
  }
}
