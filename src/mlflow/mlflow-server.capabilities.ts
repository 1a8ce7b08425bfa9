import type { MlflowClient } from './mlflow.client';
import { MlflowPath } from './mlflow.constants';

/** The first release whose OTLP ingest derives tags (`mlflow.traceTag.*`), session and user. */
const TRACE_INFO_FROM_SPANS_SINCE: [number, number] = [3, 14];
const REPROBE_MS = 10 * 60_000;

export interface MlflowCapabilitiesLogger {
  log(message: string): void;
  warn(message: string): void;
}

/**
 * What the tracking server can do, learnt once and re-checked every ten minutes (a server may be
 * upgraded under a running gateway): its version, and whether optional routes exist.
 */
export class MlflowServerCapabilities {
  private version?: Promise<string | undefined>;
  private probedAt = 0;
  /** When link-prompts was found missing; tried again after REPROBE_MS (a proxy may have lied). */
  private linkPromptsMissingAt?: number;

  constructor(
    private readonly client: MlflowClient,
    private readonly logger?: MlflowCapabilitiesLogger,
  ) {}

  /** True when OTLP spans alone give MLflow the whole trace info (no StartTraceV3 needed). */
  async traceInfoFromSpans(): Promise<boolean> {
    const version = await this.serverVersion();
    return version !== undefined && atLeast(version, TRACE_INFO_FROM_SPANS_SINCE);
  }

  get linkPrompts(): boolean {
    if (this.linkPromptsMissingAt === undefined) return true;
    return Date.now() - this.linkPromptsMissingAt > REPROBE_MS;
  }

  /** The server answered 404/405 on link-prompts: stop calling it for a while (the tag stays). */
  markLinkPromptsMissing(status: number | undefined): void {
    const known = this.linkPromptsMissingAt !== undefined;
    this.linkPromptsMissingAt = Date.now();
    if (known) return;
    this.logger?.warn(
      `MLflow has no link-prompts route (${status ?? 'no status'}): prompt versions are recorded ` +
        'in the mlflow.linkedPrompts trace tag only',
    );
  }

  private serverVersion(): Promise<string | undefined> {
    if (!this.version || Date.now() - this.probedAt > REPROBE_MS) {
      this.probedAt = Date.now();
      this.version = this.client.get<unknown>(MlflowPath.version).then(
        (answer) => {
          const version = typeof answer === 'string' ? answer.trim() : undefined;
          this.logger?.log(`MLflow server version ${version ?? 'unknown'}`);
          return version;
        },
        () => {
          // Unknown: assume an older server (the full trace-info path works everywhere), and ask
          // again soon rather than in ten minutes.
          this.probedAt = Date.now() - REPROBE_MS + 30_000;
          return undefined;
        },
      );
    }
    return this.version;
  }
}

function atLeast(version: string, [major, minor]: [number, number]): boolean {
  const match = /^(\d+)\.(\d+)/.exec(version);
  if (!match) return false;
  const [got, gotMinor] = [Number(match[1]), Number(match[2])];
  return got > major || (got === major && gotMinor >= minor);
}
