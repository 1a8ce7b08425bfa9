# syntax=docker/dockerfile:1

# ---- build: all dependencies, compile TypeScript ----
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Some npm 11 releases reject lock files without other platforms' optional packages: fall back to
# an install that keeps the locked versions.
RUN npm ci --no-audit --no-fund || npm install --no-save --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
RUN npm run build

# ---- deps: production dependencies only ----
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN (npm ci --omit=dev --no-audit --no-fund || npm install --omit=dev --no-save --no-audit --no-fund) \
    && npm cache clean --force

# ---- runtime: non-root, no build tools ----
FROM node:24-bookworm-slim AS runtime
# NODE_OPTIONS: the heap settings of scripts/lib.sh (a bounded old space; 32 MB semi-spaces, about
# 280 MB RSS at 256 streams); override it to size the heap yourself.
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    NODE_OPTIONS="--max-old-space-size=512 --max-semi-space-size=32"
WORKDIR /app
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node package.json ./
# The disk spool (EXPORT_SPOOL_DIR=data/spool) where traces wait while Redis is down; mount a
# volume here so they outlive the container.
RUN mkdir -p /app/data/spool && chown -R node:node /app/data
VOLUME /app/data/spool
USER node
# 3000: the API; 9464: the standalone worker's /metrics and /health/live (WORKER_METRICS_PORT).
EXPOSE 3000 9464
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The API (with the export worker in-process unless WORKER_ENABLED=false).
# The worker alone: `node dist/worker.js`.
CMD ["node", "dist/main.js"]
