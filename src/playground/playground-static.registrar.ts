import fastifyStatic from '@fastify/static';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { playgroundConfig } from '../config/playground.config';
import { PLAYGROUND_PREFIX, PLAYGROUND_PUBLIC_DIR } from './playground.constants';

/**
 * Serves the page and its assets under /playground straight from Fastify: outside Nest's guards
 * and interceptors, so they need no credentials and open no trace. One route per file (no
 * wildcard), and the page at both /playground and /playground/. Everything is revalidated
 * (ETag), so a new build shows at once.
 */
@Injectable()
export class PlaygroundStaticRegistrar implements OnModuleInit {
  constructor(
    @Inject(playgroundConfig.KEY) private readonly settings: ConfigType<typeof playgroundConfig>,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  onModuleInit(): void {
    if (!this.settings.enabled) return;
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    // Not awaited: awaiting would load the plugin queue now, before Nest has set up its error
    // handling, and framework errors (bad JSON, 415) would lose their OpenAI-shaped bodies.
    void fastify.register(fastifyStatic, {
      root: PLAYGROUND_PUBLIC_DIR,
      prefix: PLAYGROUND_PREFIX,
      wildcard: false,
      redirect: true,
      index: ['index.html'],
      // Swagger UI registers the plugin too; only one may decorate the reply.
      decorateReply: false,
      cacheControl: false,
      setHeaders: (reply) => void reply.header('cache-control', 'no-cache'),
    });
  }
}
