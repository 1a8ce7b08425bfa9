/**
 * Why Fastify: the same Nest controller (validated JSON body in, JSON out) on Express and on
 * Fastify, under the same load. Run: npm run bench:platform
 */
import 'reflect-metadata';
import { Body, Controller, Module, Post, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import autocannon from 'autocannon';
import { IsArray, IsOptional, IsString } from 'class-validator';

class EchoDto {
  @IsOptional()
  @IsString()
  model?: string;

  @IsArray()
  messages: unknown[];
}

@Controller()
class EchoController {
  @Post('echo')
  echo(@Body() body: EchoDto) {
    return { id: 'x', model: body.model, count: body.messages.length };
  }
}

@Module({ controllers: [EchoController] })
class EchoModule {}

const BODY = JSON.stringify({
  model: 'seed-1-6-250615',
  messages: [{ role: 'user', content: 'Hello '.repeat(50) }],
  temperature: 0.2,
});

async function measure(name: string, adapter: ExpressAdapter | FastifyAdapter) {
  const app = await NestFactory.create(EchoModule, adapter, { logger: false });
  app.useGlobalPipes(new ValidationPipe({ transform: true }));
  await app.listen(0, '127.0.0.1');
  const url = `${await app.getUrl()}/echo`;
  const run = (duration: number) =>
    autocannon({
      url,
      method: 'POST',
      connections: 32,
      duration,
      headers: { 'content-type': 'application/json' },
      body: BODY,
    });
  await run(2); // warm-up
  const result = await run(8);
  await app.close();
  return {
    platform: name,
    requestsPerSecond: Math.round(result.requests.average),
    latencyMeanMs: result.latency.average,
    latencyP99Ms: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

async function main() {
  const rows = [
    await measure('express', new ExpressAdapter()),
    await measure('fastify', new FastifyAdapter()),
  ];
  console.table(rows);
}

void main();
