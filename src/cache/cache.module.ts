import { Module } from '@nestjs/common';
import { ResponseCacheService } from './response-cache.service';

/** The response cache for chat completions. */
@Module({
  providers: [ResponseCacheService],
  exports: [ResponseCacheService],
})
export class CacheModule {}
