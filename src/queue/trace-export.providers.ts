import { FactoryProvider, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { exportConfig } from '../config/export.config';
import { mlflowConfig } from '../config/mlflow.config';
import { createMlflowClient } from '../mlflow/mlflow-client.factory';
import { MlflowExperimentResolver } from '../mlflow/mlflow-experiment.resolver';
import { MlflowServerCapabilities } from '../mlflow/mlflow-server.capabilities';
import { MlflowTraceExporter } from '../mlflow/mlflow-trace.exporter';
import { OtlpTraceEncoder } from '../mlflow/otlp-trace.encoder';
import { BullmqTraceExportDriver } from './bullmq-trace-export.driver';
import { InProcessTraceExportDriver } from './in-process-trace-export.driver';
import { TRACE_EXPORT_DRIVER, TRACE_EXPORTER } from './queue.constants';
import { createRedisConnection } from '../jobs/redis-connection.factory';
import type { TraceExportDriver } from './trace-export.driver';
import { TraceExportPipeline } from './trace-export.pipeline';

/** The MLflow exporter the export pipeline sends its batches to. */
export const traceExporterProvider: FactoryProvider<MlflowTraceExporter> = {
  provide: TRACE_EXPORTER,
  inject: [mlflowConfig.KEY, exportConfig.KEY],
  useFactory: (
    mlflow: ConfigType<typeof mlflowConfig>,
    config: ConfigType<typeof exportConfig>,
  ) => {
    const client = createMlflowClient(mlflow);
    const experimentLogger = new Logger('MlflowExperiment');
    return new MlflowTraceExporter(
      client,
      (name) => new MlflowExperimentResolver(client, name, experimentLogger),
      {
        traceInfo: config.traceInfo,
        maxRequestBytes: config.batchMaxBytes,
        // Resource attributes become trace tags in MLflow: name the service that wrote the trace.
        otlp: new OtlpTraceEncoder({ resourceAttributes: { 'service.name': 'arkgate' } }),
        capabilities: new MlflowServerCapabilities(client, new Logger('MlflowServer')),
      },
    );
  },
};

/** BullMQ on Redis when REDIS_URL is set, else the in-process queue. */
export const traceExportDriverProvider: FactoryProvider<TraceExportDriver> = {
  provide: TRACE_EXPORT_DRIVER,
  inject: [exportConfig.KEY, TraceExportPipeline],
  useFactory: (config: ConfigType<typeof exportConfig>, pipeline: TraceExportPipeline) =>
    config.redis
      ? new BullmqTraceExportDriver(createRedisConnection(config.redis, 'producer'), {
          prefix: config.redis.queuePrefix,
          waitReplicas: config.redis.waitReplicas,
          waitTimeoutMs: config.redis.waitTimeoutMs,
          handoffWaitMs: config.handoffWaitMs,
          maxAttempts: config.maxAttempts,
          keepCompleted: config.keepCompleted,
          keepFailed: config.keepFailed,
        })
      : new InProcessTraceExportDriver(pipeline.handle, {
          concurrency: pipeline.jobConcurrency,
          maxAttempts: config.maxAttempts,
          retryBaseMs: config.retryBaseMs,
          retryMaxDelayMs: config.retryMaxDelayMs,
          capacity: config.bufferSize,
        }),
};
