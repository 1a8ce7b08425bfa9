import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Agent, type Dispatcher, EnvHttpProxyAgent } from 'undici';
import { arkConfig } from '../config/ark.config';
import { createUpstreamFetch } from './upstream-fetch.adapter';

type ProxySettings = ConfigType<typeof arkConfig>['proxy'];

/**
 * A plain keep-alive pool when no proxy is set; otherwise undici's proxy agent, given the settings
 * read at boot so that it does not look up NO_PROXY in the environment on every call.
 */
export function createUpstreamDispatcher(proxy: ProxySettings): Dispatcher {
  if (!proxy.http && !proxy.https) return new Agent();
  // Empty strings, not undefined: undici would fall back to the environment for an unset one.
  return new EnvHttpProxyAgent({
    httpProxy: proxy.http,
    httpsProxy: proxy.https,
    noProxy: proxy.noProxy,
  });
}

/**
 * The connection pool to ModelArk (kept alive between calls; HTTP_PROXY, HTTPS_PROXY and NO_PROXY
 * are honoured) and the `fetch` the SDK sends through it. Closed once in-flight calls are done.
 */
@Injectable()
export class UpstreamHttpAgent implements OnApplicationShutdown {
  private readonly dispatcher: Dispatcher;
  readonly fetch: typeof fetch;

  constructor(@Inject(arkConfig.KEY) config: ConfigType<typeof arkConfig>) {
    this.dispatcher = createUpstreamDispatcher(config.proxy);
    this.fetch = createUpstreamFetch(this.dispatcher);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.dispatcher.close();
  }
}
