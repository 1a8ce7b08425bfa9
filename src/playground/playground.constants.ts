import { join } from 'node:path';

/** URL prefix of the page and its assets. */
export const PLAYGROUND_PREFIX = '/playground';

/**
 * The page's static files. `nest build` copies them next to the compiled module (nest-cli.json
 * assets), so this resolves under src/ (ts-node, jest) and under dist/ alike.
 */
export const PLAYGROUND_PUBLIC_DIR = join(__dirname, 'public');

/** How long the page waits for MLflow when looking up the experiment id. */
export const EXPERIMENT_LOOKUP_TIMEOUT_MS = 2_000;
