import type { RedisTopology } from '../config/redis-topology';
import { OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import {
  createRequestPathRedis,
  whenReady,
  type RedisClient,
} from '../jobs/redis-connection.factory';
import { RateLimitStore, WINDOW_MS, WindowCounts } from './rate-limit.store';

// Checks and counts in one step, so replicas racing on one key cannot both pass the last slot.
const HIT = `
local requests = tonumber(redis.call('GET', KEYS[1]) or '0')
local tokens = tonumber(redis.call('GET', KEYS[2]) or '0')
local rpm = tonumber(ARGV[1])
local tpm = tonumber(ARGV[2])
if (rpm > 0 and requests >= rpm) or (tpm > 0 and tokens >= tpm) then
  return {0, requests, tokens}
end
requests = redis.call('INCR', KEYS[1])
if requests == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return {1, requests, tokens}
`;

const CONNECT_WAIT_MS = 2_000;

const ADD_TOKENS = `
local tokens = redis.call('INCRBY', KEYS[1], ARGV[1])
if tokens == tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return tokens
`;

/**
 * Fixed one-minute windows in Redis, shared by every replica. Fails fast while Redis is down
 * (no offline queue, short timeout) so the limiter can let the request through.
 */
export class RedisRateLimitStore implements RateLimitStore, OnModuleInit, OnModuleDestroy {
  private readonly redis: RedisClient;

  constructor(topology: RedisTopology) {
    this.redis = createRequestPathRedis(topology, 'rate-limit', 500);
  }

  /** Gives the connection a moment at boot, so the first requests are counted; never fails boot. */
  async onModuleInit(): Promise<void> {
    await whenReady(this.redis, CONNECT_WAIT_MS);
  }

  async hit(name: string, windowStart: number, rpm: number, tpm: number): Promise<WindowCounts> {
    const [allowed, requests, tokens] = (await this.redis.eval(
      HIT,
      2,
      this.key(name, windowStart, 'requests'),
      this.key(name, windowStart, 'tokens'),
      rpm,
      tpm,
      WINDOW_MS * 2,
    )) as [number, number, number];
    return { allowed: allowed === 1, requests, tokens };
  }

  async addTokens(name: string, windowStart: number, tokens: number): Promise<void> {
    await this.redis.eval(
      ADD_TOKENS,
      1,
      this.key(name, windowStart, 'tokens'),
      tokens,
      WINDOW_MS * 2,
    );
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }

  private key(name: string, windowStart: number, counter: string): string {
    return `arkgate:ratelimit:{${name}}:${windowStart}:${counter}`;
  }
}
