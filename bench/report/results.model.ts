import type { CpuUse } from '../support/cpu';
import type { Summary } from '../support/stats';

export interface LatencyCell {
  upstreamLatencyMs: number;
  connections: number;
  target: string;
  requestsPerSecond: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
  /** Mean latency minus the direct (simulator) mean in the same cell. */
  addedMeanMs?: number;
  requests: number;
  errors: number;
}

export interface ServerTimingResult {
  target: string;
  upstreamLatencyMs: number;
  connections: number;
  samples: number;
  missing: number;
  /** total − upstream, ms; undefined when the header was absent. */
  overhead?: Summary;
}

export interface StreamingRow {
  target: string;
  samples: number;
  ttftMs: Summary;
  lastTokenMs: Summary;
  /** Mean over streams of the largest gap between two token chunks, ms. */
  meanMaxGapMs: number;
  /** Mean over streams of (last − first token arrival), ms: ~ (tokens − 1) × delay when not buffered. */
  meanSpreadMs: number;
  /** Share of token gaps under 1 ms (chunks arriving in one burst). */
  burstShare: number;
  tokensPerStream: number;
  /** TTFT mean minus direct's. */
  addedTtftMs?: number;
}

/** Traces per second MLflow took from one loop of OTLP requests. */
export interface ExportRate {
  traces: number;
  /** Traces per OTLP request. */
  perRequest: number;
  concurrency: number;
  seconds: number;
  tracesPerSecond: number;
  errors: number;
}

export interface ExportResult {
  /** MLflow's backend store, and its server workers. */
  backend: 'sqlite' | 'postgresql';
  mlflowWorkers: number | 'default';
  backlog: number;
  backlogBuildSeconds: number;
  workerMode: string;
  drainSeconds: number;
  tracesPerSecond: number;
  inMlflow: number;
  failed: number;
  /** One OTLP request per trace, a few at a time: the naive exporter. */
  plainLoop: ExportRate;
  /** Batches of 100 traces per request at the concurrency that did best: MLflow's ceiling. */
  batchedCeiling: ExportRate;
  ofPlainLoop: number;
  ofBatchedCeiling: number;
  /** [seconds since the worker started, traces left] samples. */
  drainSeries: [number, number][];
}

export interface QueueLagResult {
  seconds: number;
  connections: number;
  servedPerSecond: number;
  exportedPerSecond: number;
  backlogStart: number;
  backlogEnd: number;
  backlogMax: number;
  /** Traces per second the backlog grew by (≤ 0: export keeps up). */
  backlogGrowthPerSecond: number;
  /** Mean request-end-to-stored lag of the traces exported during the run (worker metric). */
  meanExportLagSeconds?: number;
  /** Upper bounds of the lag histogram buckets holding the median and the 99th percentile. */
  lagP50Seconds?: number;
  lagP99Seconds?: number;
  /** [seconds, backlog] samples. */
  series: [number, number][];
}

/** One measured window of the capacity scenario's API load. */
export interface CapacityApiRound {
  seconds: number;
  requestsPerSecond: number;
  apiCores: number;
  requestsPerApiCpuSecond: number;
}

/** The API alone (tracing on, no worker) under load: throughput per CPU second it used. */
export interface CapacityApiResult {
  /** The API process's node flags ([]: V8's default heap). */
  nodeArgs: string[];
  upstreamLatencyMs: number;
  connections: number;
  seconds: number;
  /** 2xx responses. */
  requests: number;
  errors: number;
  requestsPerSecond: number;
  latency: Summary;
  cpu: {
    api: CpuUse;
    redis: CpuUse;
    simulator: CpuUse;
    /** autocannon, in the bench process. */
    loadGenerator: CpuUse;
    machine: CpuUse;
  };
  /** Requests per second one fully used core serves. */
  requestsPerApiCpuSecond: number;
  redisCpuSecondsPer1000: number;
  rounds: CapacityApiRound[];
}

/** One worker process draining a backlog into one MLflow server on PostgreSQL. */
export interface CapacityWorkerResult {
  backend: 'postgresql';
  mlflowWorkers: number | 'default';
  exportConcurrency: number;
  batchSize: number;
  /** Traces taken off the queue during the window (exported or failed). */
  traces: number;
  seconds: number;
  tracesPerSecond: number;
  failed: number;
  /** Traces in the experiment after the worker stopped (the batches in flight then included). */
  inMlflow: number;
  cpu: {
    worker: CpuUse;
    /** `mlflow server` and its uvicorn workers. */
    mlflow: CpuUse;
    redis: CpuUse;
    /** PostgreSQL processes whose title names the bench's database (its connections). */
    postgresBackends: CpuUse;
    /** Every PostgreSQL process, shared ones (WAL writer, checkpointer) and other users' included. */
    postgresServer: CpuUse;
    machine: CpuUse;
  };
  tracesPerWorkerCpuSecond: number;
  tracesPerMlflowCpuSecond: number;
  mlflowCpuSecondsPer1000: number;
  postgresBackendCpuSecondsPer1000: number;
  postgresServerCpuSecondsPer1000: number;
  redisCpuSecondsPer1000: number;
  /** Growth of the database (pg_database_size) per 1000 traces, MB. */
  databaseMbPer1000?: number;
  /** exportConcurrency × batchSize / tracesPerSecond: one batch's time as the worker saw it. */
  secondsPerBatch: number;
}

export interface CapacityResult {
  /** The deployment's heap flags first, then V8's default heap. */
  apis: CapacityApiResult[];
  worker?: CapacityWorkerResult;
  /** Sustained request rate of the report's worked sizing example. */
  sizingRequestsPerSecond: number;
}

export interface HeapSample {
  heapUsedMb?: number;
  externalMb?: number;
  /** arkgate_traces_buffered: finished traces held in memory until the queue takes them. */
  bufferedTraces?: number;
}

export interface MemoryResult {
  restAfterStartMb: number;
  restBeforeLoadMb: number;
  streams: { open: number; completed: number; maxMb: number; tokenDelayMs: number };
  requests: { total: number; series: [number, number][]; endMb: number; idleAfterMb: number };
  /** From /metrics: JS heap used and external memory, MB, before the scenario and after the requests. */
  heap?: { before: HeapSample; after: HeapSample };
  /** The request run repeated against arkgate with tracing off (RSS series and heap). */
  tracingOff?: { series: [number, number][]; heap: { before: HeapSample; after: HeapSample } };
  /** MB per 10k requests over the second half of the run (≈ 0 when flat). */
  slopeMbPer10k: number;
}

export interface ProfileEntry {
  selfMs: number;
  selfPercent: number;
  functionName: string;
  location: string;
}

export interface ProfileResult {
  file: string;
  seconds: number;
  requestsPerSecond: number;
  /** Answers in the measured window. */
  requests?: number;
  /** The API process's CPU from /proc over the window, per answer (profiler overhead included). */
  apiCpuUsPerRequest?: number;
  /** CPU per request by stage of the request path, from the profile. */
  stages?: { stage: string; usPerRequest: number; percent: number }[];
  top: ProfileEntry[];
  /** arkgate's functions by inclusive time (`selfMs` holds the inclusive ms here). */
  arkgateInclusive: ProfileEntry[];
  /** Share of the profile inside the measured window (startup and warm-up left out). */
  windowShare: number;
  /** Self time grouped by package / src folder. */
  byArea: { area: string; selfPercent: number }[];
}

/** Instructions per chat completion under callgrind, per target (bench/scenarios/instructions). */
export interface InstructionsResult {
  warmup: number;
  connections: number;
  rows: {
    target: string;
    answers: number;
    failed: number;
    instructionsPerRequest: number;
    /** Wall time of the counted requests (work done by the clock is counted per request too). */
    seconds?: number;
  }[];
}

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  node: string;
  os: string;
  memoryGb: number;
  date: string;
  loadAverageAtStart: number[];
}

export interface BenchResults {
  name: string;
  quick: boolean;
  machine: MachineInfo;
  config: Record<string, unknown>;
  commands: string[];
  notes: string[];
  /** arkgate processes found stopped from outside and restarted (shared machine). */
  restarts?: string[];
  latency?: LatencyCell[];
  serverTiming?: ServerTimingResult[];
  streaming?: StreamingRow[];
  exports?: ExportResult[];
  queueLag?: QueueLagResult;
  memory?: MemoryResult;
  profile?: ProfileResult;
  capacity?: CapacityResult;
  instructions?: InstructionsResult;
}
