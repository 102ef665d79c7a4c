import type { PrismaClient } from '../../generated/prisma/client.js';
import type { SealedBox } from '../crypto/sealed-box.js';

export interface InstallationRow {
  /** `T:<team id>` for a workspace install, `E:<enterprise id>` for an org-wide install. */
  key: string;
  teamId: string | null;
  enterpriseId: string | null;
  isEnterpriseInstall: boolean;
}

/**
 * Slack installations in the database, their content (tokens and all) sealed and bound to the
 * row's key. What an installation holds is the Slack adapter's business (its installation store);
 * this keeps rows and never sees a token in the clear outside `open`.
 */
export class PrismaInstallationRows {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly box: SealedBox,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async put(row: InstallationRow, content: string): Promise<void> {
    const data = {
      teamId: row.teamId,
      enterpriseId: row.enterpriseId,
      isEnterpriseInstall: row.isEnterpriseInstall,
      sealed: this.box.seal(content, row.key),
      installedAt: this.now(),
    };
    await this.prisma.slackInstallation.upsert({
      where: { key: row.key },
      create: { key: row.key, ...data },
      update: data,
    });
  }

  /** The content of the first of `keys` that is installed, in the order given; null when none is. */
  async first(keys: readonly string[]): Promise<{ key: string; content: string } | null> {
    const rows = await this.prisma.slackInstallation.findMany({ where: { key: { in: [...keys] } } });
    const row = keys.map((key) => rows.find((r) => r.key === key)).find((r) => r !== undefined);
    return row ? { key: row.key, content: this.box.open(row.sealed, row.key) } : null;
  }

  async remove(key: string): Promise<void> {
    await this.prisma.slackInstallation.deleteMany({ where: { key } });
  }

  /** The enterprise ids of the org-wide installs. */
  async organisations(): Promise<string[]> {
    const rows = await this.prisma.slackInstallation.findMany({
      where: { isEnterpriseInstall: true },
      select: { enterpriseId: true },
      orderBy: { key: 'asc' },
    });
    return rows.flatMap((r) => (r.enterpriseId ? [r.enterpriseId] : []));
  }

  async list(): Promise<InstallationRow[]> {
    return this.prisma.slackInstallation.findMany({
      select: { key: true, teamId: true, enterpriseId: true, isEnterpriseInstall: true },
      orderBy: { key: 'asc' },
    });
  }
}
