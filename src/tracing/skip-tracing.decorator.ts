import { SetMetadata } from '@nestjs/common';
import { SKIP_TRACING } from './tracing.constants';

/** Routes that are not API calls (health, docs, metrics) open no trace. */
export const SkipTracing = () => SetMetadata(SKIP_TRACING, true);
