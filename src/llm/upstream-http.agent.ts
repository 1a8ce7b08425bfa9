import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { EnvHttpProxyAgent } from 'undici';
import { createUpstreamFetch } from './upstream-fetch.adapter';

/**
 * The connection pool to ModelArk (kept alive between calls; HTTP_PROXY, HTTPS_PROXY and NO_PROXY
 * are honoured) and the `fetch` the SDK sends through it. Closed once in-flight calls are done.
 */
@Injectable()
export class UpstreamHttpAgent implements OnApplicationShutdown {
  private readonly dispatcher = new EnvHttpProxyAgent();
  readonly fetch = createUpstreamFetch(this.dispatcher);

  async onApplicationShutdown(): Promise<void> {
    await this.dispatcher.close();
  }
}
