import { Controller, Get, Header, Inject, NotFoundException } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ApiExcludeController } from '@nestjs/swagger';
import { playgroundConfig } from '../config/playground.config';
import { SkipTracing } from '../tracing/skip-tracing.decorator';
import { PlaygroundService } from './playground.service';

/** The page's settings; the page and its assets are static files (PlaygroundStaticRegistrar). */
@ApiExcludeController()
@SkipTracing()
@Controller('playground')
export class PlaygroundController {
  constructor(
    @Inject(playgroundConfig.KEY) private readonly settings: ConfigType<typeof playgroundConfig>,
    private readonly playground: PlaygroundService,
  ) {}

  @Get('config.json')
  @Header('cache-control', 'no-store')
  config() {
    if (!this.settings.enabled) throw new NotFoundException();
    return this.playground.config();
  }
}
