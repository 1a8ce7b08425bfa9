import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseExactJson } from './exact-json';

const run = promisify(execFile);

export interface PythonSpan {
  span_id: string;
  parent_id: string | null;
  trace_id: string;
  name: string;
  span_type: string | null;
  /** Exact decimal digits (beyond 2^53). */
  start_time_ns: string;
  end_time_ns: string;
  status: { code: 'OK' | 'ERROR' | 'UNSET'; description: string };
  inputs: unknown;
  outputs: unknown;
  /** Python type names, e.g. `dict`, `str`: what MLflow's SDK hands a user. */
  inputs_type: string;
  outputs_type: string;
  attributes: Record<string, unknown>;
  attribute_types: Record<string, string>;
  events: { name: string; timestamp: string; attributes: Record<string, unknown> }[];
}

export interface PythonTrace {
  found: boolean;
  info: {
    trace_id: string;
    experiment_id: string;
    state: 'OK' | 'ERROR' | 'IN_PROGRESS' | 'STATE_UNSPECIFIED';
    request_time: number;
    execution_duration: number | null;
    request_preview: string | null;
    response_preview: string | null;
    trace_metadata: Record<string, string>;
    tags: Record<string, string>;
    token_usage: { input_tokens?: number; output_tokens?: number; total_tokens?: number } | null;
  };
  spans: PythonSpan[];
}

/** Reads a trace with MLflow's official Python client (`mlflow.get_trace`), via read_trace.py. */
export class PythonTraceReader {
  constructor(
    private readonly venv: string,
    private readonly trackingUri: string,
  ) {}

  async read(traceId: string): Promise<PythonTrace> {
    const python = join(this.venv, 'bin', 'python');
    const script = join(__dirname, 'read_trace.py');
    const { stdout } = await run(python, [script, this.trackingUri, traceId], {
      timeout: 60_000,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, MLFLOW_DISABLE_TELEMETRY: 'true', DO_NOT_TRACK: 'true' },
    });
    const lastLine = stdout.trim().split('\n').pop() ?? '';
    return parseExactJson(lastLine) as PythonTrace;
  }
}
