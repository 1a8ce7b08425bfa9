import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './child-services';
import { REPO_ROOT } from './mlflow-test-env';

/** arkgate's API entrypoint (src/main.ts) as its own process, with everything it prints kept. */
export class ArkgateProcess {
  private output = '';

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
  }

  /**
   * Starts it on a free loopback port with exactly `env` (plus PATH and HOME, and a spool
   * directory of its own unless `env` names one); resolves once /health/live answers 200.
   */
  static async start(env: Record<string, string>, timeoutMs = 60_000): Promise<ArkgateProcess> {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', join(REPO_ROOT, 'src', 'main.ts')],
      {
        cwd: REPO_ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          EXPORT_SPOOL_DIR: mkdtempSync(join(tmpdir(), 'arkgate-spool-')),
          ...env,
          HOST: '127.0.0.1',
          PORT: String(port),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const sut = new ArkgateProcess(child, `http://127.0.0.1:${port}`);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`arkgate exited during startup:\n${sut.log}`);
      const live = await fetch(`${sut.url}/health/live`).catch(() => undefined);
      if (live?.status === 200) return sut;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await sut.stop();
    throw new Error(`arkgate did not answer /health/live within ${timeoutMs} ms:\n${sut.log}`);
  }

  /** stdout and stderr so far, interleaved as they arrived. */
  get log(): string {
    return this.output;
  }

  /** Sends `signal`; resolves with the exit code (null when a signal ended it) once it exited. */
  async kill(signal: NodeJS.Signals): Promise<number | null> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.child.exitCode;
    const exited = new Promise<number | null>((resolve) =>
      this.child.once('exit', (code) => resolve(code)),
    );
    this.child.kill(signal);
    return exited;
  }

  /** SIGTERM (graceful shutdown, so the last log lines are flushed); resolves once it has exited. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const killer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(killer);
  }
}
