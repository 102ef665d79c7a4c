import type { NewPolicyVersion } from '../../config/policy-editor.js';
import type { TeamsConfig, TeamsDocument } from '../../config/teams-config.js';
import type { PolicyVersionEntry } from '../../domain/policy/policy.js';
import type { Prisma, PrismaClient } from '../../generated/prisma/client.js';
import { syncTeamsIn, TEAM_SYNC_LOCK, type Tenants } from './team-sync.js';

export interface StoredPolicy {
  version: number;
  doc: TeamsDocument;
}

/**
 * The policy's versions. Each is written with the team and member rows it implies, under the
 * team-sync lock, so instances starting or editing at once take turns and never skip a version.
 */
export class PrismaPolicyStore {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly tenants: Tenants = {},
  ) {}

  /**
   * At start: a teams file never applied before becomes the next version (its members synced);
   * otherwise the newest version stays in force, whatever this instance's copy of a file says, so
   * an instance still on an older file in a rolling deploy does not undo a newer one.
   */
  async start(
    file: { doc: TeamsDocument; hash: string; config: TeamsConfig },
    build: (doc: TeamsDocument) => TeamsConfig,
    now: Date,
  ): Promise<{ version: number; doc: TeamsDocument; config: TeamsConfig; applied: boolean }> {
    return this.prisma.$transaction(
      async (tx) => {
        await lock(tx);
        const seen = await tx.policyVersion.findFirst({ where: { fileHash: file.hash }, select: { version: true } });
        if (!seen) {
          const version = await this.append(tx, {
            doc: file.doc,
            config: file.config,
            source: 'file',
            fileHash: file.hash,
            actorId: null,
            summary: 'teams file',
          });
          await syncTeamsIn(tx, file.config, now, this.tenants);
          return { version, doc: file.doc, config: file.config, applied: true };
        }
        const latest = (await readLatest(tx)) as StoredPolicy;
        return { ...latest, config: build(latest.doc), applied: false };
      },
      { maxWait: 20_000, timeout: 30_000 },
    );
  }

  /** Keeps the next version if the newest is still `base`; null when another change came first. */
  async commit(base: number, next: NewPolicyVersion, now: Date): Promise<number | null> {
    return this.prisma.$transaction(
      async (tx) => {
        await lock(tx);
        if ((await readLatest(tx))?.version !== base) return null;
        const version = await this.append(tx, next);
        await syncTeamsIn(tx, next.config, now, this.tenants);
        return version;
      },
      { maxWait: 20_000, timeout: 30_000 },
    );
  }

  async latestVersion(): Promise<number> {
    const row = await this.prisma.policyVersion.findFirst({ orderBy: { version: 'desc' }, select: { version: true } });
    return row?.version ?? 0;
  }

  latest(): Promise<StoredPolicy | null> {
    return readLatest(this.prisma);
  }

  async history(limit: number): Promise<PolicyVersionEntry[]> {
    const rows = await this.prisma.$queryRaw<
      { version: number; source: string; actorName: string | null; summary: string; at: Date }[]
    >`SELECT p.version, p.source, m.display_name AS "actorName", p.summary, p.created_at AS at
        FROM policy_version p LEFT JOIN member m ON m.id = p.actor_id
       ORDER BY p.version DESC LIMIT ${limit}`;
    return rows;
  }

  private async append(tx: Prisma.TransactionClient, next: NewPolicyVersion): Promise<number> {
    const version = ((await readLatest(tx))?.version ?? 0) + 1;
    await tx.policyVersion.create({
      data: {
        version,
        doc: next.doc as Prisma.InputJsonValue,
        fileHash: next.fileHash,
        source: next.source,
        actorId: next.actorId,
        summary: next.summary.slice(0, 2000),
      },
    });
    return version;
  }
}

const lock = (tx: Prisma.TransactionClient) =>
  tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${TEAM_SYNC_LOCK}))`;

async function readLatest(db: Prisma.TransactionClient | PrismaClient): Promise<StoredPolicy | null> {
  const row = await db.policyVersion.findFirst({ orderBy: { version: 'desc' }, select: { version: true, doc: true } });
  return row ? { version: row.version, doc: row.doc as TeamsDocument } : null;
}
