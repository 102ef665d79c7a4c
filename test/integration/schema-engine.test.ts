import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDrift, createMigration } from '../../prisma/tools/schema-engine.js';

describe('schema engine tooling (Wasm)', () => {
  it('finds no drift between the repository schema and its migrations', async () => {
    expect(await checkDrift()).toBeNull();
  });

  it('reports drift for a schema change, then writes the migration that removes it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'leadpool-schema-'));
    const schemaPath = join(dir, 'schema.prisma');
    const migrationsDir = join(dir, 'migrations');
    cpSync(resolve('prisma/migrations'), migrationsDir, { recursive: true });
    const schema = readFileSync(resolve('prisma/schema.prisma'), 'utf8').replace(
      '  notes           String?',
      '  notes           String?\n  nickname        String?',
    );
    writeFileSync(schemaPath, schema);
    const paths = { schemaPath, migrationsDir };

    const missing = await checkDrift(paths);
    expect(missing).toMatch(/ALTER TABLE "lead" ADD COLUMN\s+"nickname" TEXT/);

    const before = readdirSync(migrationsDir);
    const name = await createMigration('add_nickname', paths, new Date('2030-01-01T00:00:00Z'));
    expect(name).toBe('20300101000000_add_nickname');
    expect(readdirSync(migrationsDir)).toHaveLength(before.length + 1);
    expect(readFileSync(join(migrationsDir, name ?? '', 'migration.sql'), 'utf8')).toContain('"nickname" TEXT');
    expect(await checkDrift(paths)).toBeNull();
    expect(await createMigration('nothing_new', paths)).toBeNull();
    expect(existsSync(join(migrationsDir, 'migration_lock.toml'))).toBe(true);
  }, 120_000);
});
