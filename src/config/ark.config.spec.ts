import { loadConfig } from './arkgate.config';

describe('arkConfig', () => {
  const proxy = (env: Record<string, string> = {}) => loadConfig(env).ark.proxy;

  it('has no proxy by default', () => {
    expect(proxy()).toEqual({ http: '', https: '', noProxy: '' });
  });

  it('reads the proxy variables once, the lower-case spelling first', () => {
    expect(
      proxy({
        HTTP_PROXY: 'http://upper:3128',
        http_proxy: 'http://lower:3128',
        HTTPS_PROXY: 'http://secure:3128',
        NO_PROXY: 'internal.example,10.0.0.1',
      }),
    ).toEqual({
      http: 'http://lower:3128',
      https: 'http://secure:3128',
      noProxy: 'internal.example,10.0.0.1',
    });
  });
});
