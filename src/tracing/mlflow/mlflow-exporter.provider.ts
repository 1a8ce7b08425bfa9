import { FactoryProvider, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { mlflowConfig } from '../../config/mlflow.config';
import { TRACE_EXPORT_HANDLER } from '../../queue/queue.constants';
import type { TraceExportHandler } from '../../queue/trace-export.driver';
import { MlflowExperimentResolver } from './mlflow-experiment.resolver';
import { MlflowTraceExporter } from './mlflow-trace.exporter';
import { MlflowClient } from './mlflow.client';
import { OtlpTraceEncoder } from './otlp-trace.encoder';

/** The export step every queue driver runs: one finished trace to the MLflow tracking server. */
export const mlflowExportHandlerProvider: FactoryProvider<TraceExportHandler> = {
  provide: TRACE_EXPORT_HANDLER,
  inject: [mlflowConfig.KEY],
  useFactory: (config: ConfigType<typeof mlflowConfig>) => {
    const client = new MlflowClient({
      trackingUri: config.trackingUri,
      token: config.token,
      username: config.username,
      password: config.password,
      timeoutMs: config.timeoutMs,
    });
    const experiments = new MlflowExperimentResolver(
      client,
      config.experimentName,
      new Logger('MlflowExperiment'),
    );
    const exporter = new MlflowTraceExporter(client, experiments, {
      // Resource attributes become trace tags in MLflow: name the service that wrote the trace.
      otlp: new OtlpTraceEncoder({ resourceAttributes: { 'service.name': 'arkgate' } }),
    });
    return (trace) => exporter.export(trace);
  },
};
