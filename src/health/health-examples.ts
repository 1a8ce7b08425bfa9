export const LIVE_EXAMPLE = { status: 'ok' };

export const HEALTH_UP_EXAMPLE = {
  status: 'ok',
  info: {
    upstream: { status: 'up' },
    redis: { status: 'up' },
    mlflow: { status: 'up' },
    export_backlog: { status: 'up', backlog: 0, max: 50000 },
  },
  error: {},
  details: {
    upstream: { status: 'up' },
    redis: { status: 'up' },
    mlflow: { status: 'up' },
    export_backlog: { status: 'up', backlog: 0, max: 50000 },
  },
};

export const HEALTH_DOWN_EXAMPLE = {
  status: 'error',
  info: { upstream: { status: 'up' }, export_backlog: { status: 'up', backlog: 3, max: 50000 } },
  error: {
    redis: {
      status: 'down',
      message: 'Redis is not connected (redis://redis:6379): connect ECONNREFUSED 10.0.0.7:6379',
    },
  },
  details: {
    upstream: { status: 'up' },
    redis: {
      status: 'down',
      message: 'Redis is not connected (redis://redis:6379): connect ECONNREFUSED 10.0.0.7:6379',
    },
    export_backlog: { status: 'up', backlog: 3, max: 50000 },
  },
};
