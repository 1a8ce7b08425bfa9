import { execFileSync } from 'node:child_process';

/** PostgreSQL on this machine (127.0.0.1:5432, trust auth), reached with psql. */
function psql(sql: string): void {
  execFileSync(
    'psql',
    ['-h', '127.0.0.1', '-U', 'postgres', '-v', 'ON_ERROR_STOP=1', '-q', '-c', sql],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
}

/** A database of a test's own on the local PostgreSQL, created here and dropped by `drop()`. */
export class TestPostgresDatabase {
  private constructor(readonly name: string) {}

  /** `name` must be a plain identifier (letters, digits, underscores). */
  static create(name: string): TestPostgresDatabase {
    psql(`CREATE DATABASE ${name}`);
    return new TestPostgresDatabase(name);
  }

  get uri(): string {
    return `postgresql://postgres@127.0.0.1:5432/${this.name}`;
  }

  /** Drops it even while servers are still connected. */
  drop(): void {
    psql(`DROP DATABASE IF EXISTS ${this.name} WITH (FORCE)`);
  }
}
