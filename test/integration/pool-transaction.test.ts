import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poolTransaction, type SqlTransaction, StatementNames } from '../../src/infra/db/sql.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let scratch: TestDatabase;
let pool: pg.Pool;
let transaction: SqlTransaction;
const uncaught: unknown[] = [];
const onUncaught = (error: unknown) => uncaught.push(error);

beforeAll(async () => {
  scratch = await createTestDatabase();
  pool = new pg.Pool({ connectionString: scratch.url, max: 2 });
  pool.on('error', () => undefined);
  transaction = poolTransaction(pool, new StatementNames());
  await pool.query('CREATE TABLE t (n int PRIMARY KEY)');
  process.on('uncaughtException', onUncaught);
});

afterAll(async () => {
  process.off('uncaughtException', onUncaught);
  await pool?.end();
  await scratch?.drop();
});

const rows = async () => (await pool.query<{ n: number }>('SELECT n FROM t ORDER BY n')).rows.map((r) => r.n);
const insert = (n: number) => ({ text: 'INSERT INTO t (n) VALUES ($1)', values: [n] });

describe('a transaction without the ORM', () => {
  it('commits what its work wrote, and answers with its work’s result and counts', async () => {
    const result = await transaction(async (tx) => {
      const changed = (await tx.execute(insert(1))) + (await tx.execute(insert(2)));
      const [seen] = await tx.query<{ c: number }>({ text: 'SELECT count(*)::int AS c FROM t', values: [] });
      return { changed, seen: seen?.c };
    });
    expect(result).toEqual({ changed: 2, seen: 2 });
    expect(await rows()).toEqual([1, 2]);
  });

  it('writes nothing when a statement fails, and the connection serves the next transaction', async () => {
    await expect(
      transaction(async (tx) => {
        await tx.execute(insert(3));
        await tx.execute(insert(1)); // already there
      }),
    ).rejects.toThrow(/duplicate key/);
    await expect(
      transaction(async (tx) => {
        await tx.execute(insert(4));
        throw new Error('the work changed its mind');
      }),
    ).rejects.toThrow('the work changed its mind');
    expect(await rows()).toEqual([1, 2]);
    // Both connections of the pool were used above; each still works.
    await Promise.all([5, 6].map((n) => transaction((tx) => tx.execute(insert(n)))));
    expect(await rows()).toEqual([1, 2, 5, 6]);
  });

  it('fails, writing nothing, when its connection is lost midway; no error escapes and the pool goes on', async () => {
    await expect(
      transaction(async (tx) => {
        await tx.execute(insert(7));
        const [me] = await tx.query<{ pid: number }>({ text: 'SELECT pg_backend_pid() AS pid', values: [] });
        await pool.query('SELECT pg_terminate_backend($1)', [me?.pid]);
        await tx.execute(insert(8));
      }),
    ).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 50));
    expect(uncaught).toEqual([]);
    expect(await rows()).toEqual([1, 2, 5, 6]);
    await transaction((tx) => tx.execute(insert(9)));
    expect(await rows()).toEqual([1, 2, 5, 6, 9]);
  });
});
