/**
 * A database outage, made by cutting the connection to a real PostgreSQL through a TCP proxy: the
 * intake API answers 503 with Retry-After (a form or queue sends again), /readyz says why it is not
 * ready while /healthz stays up as liveness, and once the database is back the same request is
 * stored, once. A Lark long connection that is not up keeps the instance from being ready.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Leadpool } from '../../src/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { postLead, startTestLeadpool } from '../support/leadpool.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { until } from '../support/until.js';

describe('a database outage', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let app: Leadpool;
  const lines: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    const real = new URL(database.url);
    proxy = await startTcpProxy({ host: real.hostname, port: Number(real.port) });
    const proxied = new URL(database.url);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    app = await startTestLeadpool({ databaseUrl: proxied.toString(), poolSize: 4, logLines: lines });
  });
  afterAll(async () => {
    await proxy?.restore();
    await app?.stop();
    await proxy?.close();
    await database?.drop();
  });

  const lead = { team: 'alpha', name: 'Outage Person', email: 'outage@person.example' };
  const post = (key: string) =>
    fetch(`${app.url}/api/leads`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer test-intake-key-0123456789abcdef',
        'content-type': 'application/json',
        'idempotency-key': key,
      },
      body: JSON.stringify(lead),
    });

  it('answers 503 with Retry-After while the database is away, and stores the retried lead once after', async () => {
    expect((await postLead(app, { team: 'alpha', name: 'Before', email: 'before@x.example' })).status).toBe(201);
    expect((await fetch(`${app.url}/readyz`)).status).toBe(200);

    await proxy.cut();
    const refused = await post('outage-key-1');
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await refused.json()) as { error: string; message: string };
    expect(body.error).toBe('database_unavailable');
    expect(body.message).toMatch(/nothing was stored/);
    const ready = await fetch(`${app.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { reasons: string[] }).reasons.join(' ')).toMatch(/database/);

    await proxy.restore();
    let stored: Response | null = null;
    await until(
      async () => {
        stored = await post('outage-key-1');
        return stored.status === 201;
      },
      'the lead stored once the database is back',
      20_000,
      { everyMs: 250 },
    );
    expect((await post('outage-key-1')).status).toBe(201);
    const rows = await app.db.prisma.lead.count({ where: { email: 'outage@person.example' } });
    expect(rows).toBe(1);
    expect((await fetch(`${app.url}/readyz`)).status).toBe(200);

    // A database that lacks a migration of this build is not one to serve on.
    await app.db.prisma.$executeRaw`DELETE FROM _prisma_migrations
      WHERE migration_name = (SELECT max(migration_name) FROM _prisma_migrations)`;
    const behind = await fetch(`${app.url}/readyz`);
    expect(behind.status).toBe(503);
    expect(((await behind.json()) as { reasons: string[] }).reasons).toEqual(['database: 1 migration(s) not applied']);
  }, 60_000);
});

describe('readiness and the messengers', () => {
  it('is not ready while a configured Lark long connection is not up, and says why', async () => {
    // Nothing listens there: the SDK cannot open its connection.
    const app = await startTestLeadpool({ lark: { url: 'http://127.0.0.1:9', transport: 'long_connection' } });
    try {
      const ready = await fetch(`${app.url}/readyz`);
      expect(ready.status).toBe(503);
      const body = (await ready.json()) as { status: string; reasons: string[] };
      expect(body.status).toBe('not_ready');
      expect(body.reasons).toEqual([expect.stringMatching(/^lark: long connection (connecting|failed)$/)]);
    } finally {
      await app.stop();
    }
  });
});
