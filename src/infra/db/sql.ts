import { createHash } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import type { PrismaClient } from '../../generated/prisma/client.js';

/**
 * Runs one SQL statement and returns its rows. The statements a burst repeats (a claim's read and
 * write, its card's post, the outbox's leases and outcomes, the pace book's bookings) go straight
 * to the driver: the ORM's own work per raw query was five times the driver's in CPU (0.15 against
 * 0.03 ms for a one-row query, measured), and a burst of 200 claims is bound by CPU. Same
 * statements, same pool, same database.
 */
export type SqlRunner = <T>(statement: Statement) => Promise<T[]>;

/** A statement with $1… placeholders and their values, as `Prisma.sql` builds it. */
export interface Statement {
  readonly text: string;
  readonly values: readonly unknown[];
}

/**
 * Names for statements to prepare, by their text: planning was most of the database's work for the
 * one-row statements of a burst (0.5 ms to plan against 0.1 to run), and a prepared statement is
 * planned once per connection. Only the first `max` texts get one, so statements whose text varies
 * (an IN list of any length) never fill the connections' memory with plans.
 */
export class StatementNames {
  private readonly names = new Map<string, string>();

  constructor(private readonly max = 256) {}

  of(text: string): string | undefined {
    let name = this.names.get(text);
    if (name === undefined && this.names.size < this.max) {
      name = `lp_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
      this.names.set(text, name);
    }
    return name;
  }
}

/** On PostgreSQL, through the pool the ORM uses, prepared under `names`. */
export function poolSql(pool: pg.Pool, names: StatementNames): SqlRunner {
  return async <T>(statement: Statement) => {
    const text = statement.text;
    return (await pool.query({ name: names.of(text), text, values: [...statement.values] })).rows as T[];
  };
}

/** On the embedded database; PGlite runs one statement at a time and holds others during a transaction. */
export function pgliteSql(db: PGlite): SqlRunner {
  return async <T>(statement: Statement) => (await db.query<T>(statement.text, [...statement.values])).rows;
}

/** Through the ORM: for a store built over a bare client (tests, tools). */
export function prismaSql(prisma: PrismaClient): SqlRunner {
  return <T>(statement: Statement) => prisma.$queryRawUnsafe<T[]>(statement.text, ...statement.values);
}

/** A transaction's statements without the ORM: rows, or the count of rows a statement changed. */
export interface SqlTx {
  query: SqlRunner;
  execute(statement: Statement): Promise<number>;
}

/**
 * Runs `work` in one transaction on a connection of its own, without the ORM: for the transactions
 * intake runs back to back, where the ORM's start of one (a connection, BEGIN, its own bookkeeping,
 * each a turn of a busy event loop) measured 3.5 ms of a 12 ms transaction. BEGIN is queued with
 * the first statement and costs no turn of its own (it fails only with its connection, and then so
 * does that statement).
 */
export type SqlTransaction = <T>(work: (tx: SqlTx) => Promise<T>) => Promise<T>;

export function poolTransaction(pool: pg.Pool, names: StatementNames): SqlTransaction {
  return async (work) => {
    const client = await pool.connect();
    // A connection lost while checked out says so here too; the statement in flight fails with it.
    const lost = () => undefined;
    client.on('error', lost);
    let broken: Error | undefined;
    const run = (statement: Statement) =>
      client.query({ name: names.of(statement.text), text: statement.text, values: [...statement.values] });
    try {
      const begun = client.query('BEGIN');
      begun.catch(() => undefined); // surfaced below, once the work is done
      const result = await work({
        query: async <T>(statement: Statement) => (await run(statement)).rows as T[],
        execute: async (statement) => (await run(statement)).rowCount ?? 0,
      });
      await begun;
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((failed: unknown) => {
        broken = failed instanceof Error ? failed : new Error(String(failed));
      });
      throw error;
    } finally {
      client.removeListener('error', lost);
      // A connection that could not roll back is closed, not given to the next transaction.
      client.release(broken);
    }
  };
}
