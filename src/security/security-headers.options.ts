import type { HelmetOptions } from 'helmet';

/**
 * Helmet's headers with a Content-Security-Policy Swagger UI works under: its page loads its
 * scripts from /docs (no inline script) but styles itself inline and shows data: images.
 */
export const SECURITY_HEADERS: HelmetOptions = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      frameAncestors: ["'none'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      // arkgate is often served over plain HTTP behind a proxy; upgrading would break /docs.
      upgradeInsecureRequests: null,
    },
  },
  // The API is called cross-origin by design (CORS_ORIGINS); helmet's default would block it.
  crossOriginResourcePolicy: { policy: 'cross-origin' },
};
