import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { type FSWatcher, statSync, watch } from 'node:fs';
import { dirname } from 'node:path';
import { arkConfig } from '../config/ark.config';
import type { ModelRoute, RouteTable } from './model-route.model';
import { loadRoutesFile } from './routes-file.loader';

const EMPTY: RouteTable = {
  routes: new Map(),
  breaker: { failures: 5, cooldownMs: 30_000 },
  budgets: new Map(),
};
/** The file's identity and version: a change in any of them is a new file to read. */
function stampOf(file: string): string | undefined {
  try {
    const stat = statSync(file);
    return `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
  } catch {
    return undefined;
  }
}

/** Editors write a file in several steps: reload once they are done. */
const RELOAD_DEBOUNCE_MS = 200;

/**
 * The routes of ROUTES_FILE, read at start (a bad file stops the process, naming what is wrong)
 * and again when the file changes or on SIGHUP; a bad edit is logged and the routes in use stay.
 */
@Injectable()
export class RouteTableService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RouteTableService.name);
  private table: RouteTable = EMPTY;
  private watcher?: FSWatcher;
  private reloadTimer?: NodeJS.Timeout;
  private readonly onHangup = () => this.reload('SIGHUP');
  private readonly listeners: ((table: RouteTable) => void)[] = [];
  private fileStamp?: string;

  constructor(@Inject(arkConfig.KEY) private readonly config: ConfigType<typeof arkConfig>) {
    if (config.routesFile) this.table = this.load(config.routesFile);
  }

  get current(): RouteTable {
    return this.table;
  }

  /** The route of an alias the routes file defines; undefined for any other model name. */
  resolve(model: string): ModelRoute | undefined {
    return this.table.routes.get(model);
  }

  /** Called with each table read after the first (breakers follow the targets). */
  onReload(listener: (table: RouteTable) => void): void {
    this.listeners.push(listener);
  }

  onModuleInit(): void {
    const file = this.config.routesFile;
    if (!file) return;
    process.on('SIGHUP', this.onHangup);
    try {
      // The directory, not the file: an editor's save often replaces the file, and a Kubernetes
      // ConfigMap swaps a symlink beside it. Any event there is checked against the file's stat.
      this.watcher = watch(dirname(file), () => this.scheduleReload());
      this.watcher.on('error', () => undefined);
      this.watcher.unref();
    } catch (error) {
      this.logger.warn(`Not watching ${file} (${String(error)}); reload it with SIGHUP`);
    }
  }

  onApplicationShutdown(): void {
    process.off('SIGHUP', this.onHangup);
    this.watcher?.close();
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
  }

  /** Reads the file again; keeps the routes in use when it is not valid. */
  reload(reason = 'change'): boolean {
    const file = this.config.routesFile;
    if (!file) return false;
    try {
      this.table = this.load(file);
    } catch (error) {
      this.logger.error(`${String((error as Error).message)}; the routes in use stay (${reason})`);
      return false;
    }
    this.logger.log(`Routes reloaded from ${file} (${reason}): ${this.table.routes.size} model(s)`);
    for (const listener of this.listeners) listener(this.table);
    return true;
  }

  private scheduleReload(): void {
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => {
      if (this.fileChanged()) this.reload();
    }, RELOAD_DEBOUNCE_MS);
    this.reloadTimer.unref();
  }

  /** True when the file (through any symlink) is not the one read last. */
  private fileChanged(): boolean {
    const seen = this.fileStamp;
    this.fileStamp = stampOf(this.config.routesFile!);
    return this.fileStamp !== seen;
  }

  private load(file: string): RouteTable {
    this.fileStamp = stampOf(file);
    return loadRoutesFile(
      file,
      {
        baseUrl: this.config.baseUrl,
        apiKey: this.config.apiKey,
        maxRetries: this.config.maxRetries,
      },
      this.config.variables,
    );
  }
}
