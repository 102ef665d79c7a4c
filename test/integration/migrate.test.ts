import { createHash } from 'node:crypto';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import {
  applyMigrations,
  type MigrationConnection,
  MigrationError,
  readMigrations,
} from '../../src/infra/db/migrate.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const dbs: TestDatabase[] = [];
const clients: pg.Client[] = [];

async function connect(): Promise<{ conn: MigrationConnection; client: pg.Client }> {
  const db = await createTestDatabase();
  dbs.push(db);
  return open(db.url);
}

async function open(url: string): Promise<{ conn: MigrationConnection; client: pg.Client }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  clients.push(client);
  return {
    client,
    conn: {
      query: async (sql, params) => (await client.query(sql, params)).rows,
      exec: async (script) => {
        await client.query(script);
      },
    },
  };
}

afterEach(async () => {
  for (const c of clients.splice(0)) await c.end();
  for (const d of dbs.splice(0)) await d.drop();
});

describe('migration runner', () => {
  it('applies the repository migrations once and records them as Prisma does', async () => {
    const { conn, client } = await connect();
    const files = readMigrations();
    expect(files.length).toBeGreaterThan(0);
    expect((await applyMigrations(conn)).applied).toEqual(files.map((f) => f.name));
    expect((await applyMigrations(conn)).applied).toEqual([]);
    const rows = (
      await client.query(
        'SELECT migration_name, checksum, finished_at, applied_steps_count, rolled_back_at FROM _prisma_migrations ORDER BY migration_name',
      )
    ).rows;
    expect(rows.map((r) => r.migration_name)).toEqual(files.map((f) => f.name));
    for (const [i, row] of rows.entries()) {
      expect(row.checksum).toBe(
        createHash('sha256')
          .update(files[i]?.sql ?? '')
          .digest('hex'),
      );
      expect(row.finished_at).not.toBeNull();
      expect(row.applied_steps_count).toBe(1);
      expect(row.rolled_back_at).toBeNull();
    }
    const tables = (await client.query("SELECT to_regclass('lead') IS NOT NULL AS ok")).rows[0];
    expect(tables.ok).toBe(true);
  });

  it('stops on a failing migration (P3018), keeps its log, and refuses to go on later (P3009)', async () => {
    const { conn, client } = await connect();
    const bad = [
      { name: '20260101000000_ok', sql: 'CREATE TABLE a (id int);', checksum: 'x' },
      { name: '20260102000000_bad', sql: 'CREATE TABLE b (id int); SELECT no_such_function();', checksum: 'y' },
      { name: '20260103000000_never', sql: 'CREATE TABLE c (id int);', checksum: 'z' },
    ];
    await expect(applyMigrations(conn, bad)).rejects.toMatchObject({ code: 'P3018' });
    const rows = (await client.query('SELECT migration_name, finished_at, logs FROM _prisma_migrations ORDER BY 1'))
      .rows;
    expect(rows.map((r) => r.migration_name)).toEqual(['20260101000000_ok', '20260102000000_bad']);
    expect(rows[1].finished_at).toBeNull();
    expect(rows[1].logs).toContain('no_such_function');
    // The failed script ran as one implicit transaction: its first statement left nothing behind.
    expect((await client.query("SELECT to_regclass('b') IS NULL AS gone")).rows[0].gone).toBe(true);
    const again = applyMigrations(conn, bad);
    await expect(again).rejects.toBeInstanceOf(MigrationError);
    await expect(again).rejects.toMatchObject({ code: 'P3009' });
  });

  it('refuses a non-empty database with no history (P3005)', async () => {
    const { conn, client } = await connect();
    await client.query('CREATE TABLE somebody_elses (id int)');
    await expect(applyMigrations(conn)).rejects.toMatchObject({ code: 'P3005' });
  });

  it('lets concurrent runners apply each migration exactly once', async () => {
    const db = await createTestDatabase();
    dbs.push(db);
    const runners = await Promise.all([open(db.url), open(db.url), open(db.url)]);
    const results = await Promise.all(runners.map((r) => applyMigrations(r.conn)));
    const applied = results.flatMap((r) => r.applied);
    expect(applied.sort()).toEqual(readMigrations().map((f) => f.name));
    const count = (await runners[0]?.client.query('SELECT count(*)::int AS n FROM _prisma_migrations'))?.rows[0].n;
    expect(count).toBe(readMigrations().length);
  });
});
