import { ApiHeader } from '@nestjs/swagger';
import { CACHE_HEADER } from './response-cache.model';

/** Documents the request header of the response cache on a route that uses it. */
export const ApiCacheHeader = () =>
  ApiHeader({
    name: CACHE_HEADER,
    required: false,
    description:
      'Response cache: `no-store` (neither read nor write), or `max-age=<seconds>` (cache this ' +
      'answer that long, also when CACHE_TTL_SECONDS is 0). Answers say `x-arkgate-cache: hit` ' +
      'or `miss` when the cache was used.',
  });
