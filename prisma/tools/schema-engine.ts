/**
 * Dev-time migration tooling on Prisma's schema engine compiled to Wasm, run over throw-away
 * in-memory PGlite databases. It replaces `prisma migrate dev --create-only` and
 * `prisma migrate diff --exit-code` on machines that cannot download Prisma's native engine.
 *
 *   tsx prisma/tools/schema-engine.ts create <name>   write prisma/migrations/<ts>_<name>/migration.sql
 *   tsx prisma/tools/schema-engine.ts drift           exit 2 when migrations and schema disagree
 *
 * The engine's API is internal to Prisma: versions are pinned exactly in package.json and
 * test/integration/schema-engine.test.ts covers both commands.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';

const require = createRequire(import.meta.url);

export interface EnginePaths {
  schemaPath: string;
  migrationsDir: string;
}

export const defaultPaths: EnginePaths = {
  schemaPath: resolve('prisma/schema.prisma'),
  migrationsDir: resolve('prisma/migrations'),
};

interface SchemaEngine {
  diff(params: unknown): Promise<{ exitCode: number; stdout: string }>;
  applyMigrations(params: unknown): Promise<unknown>;
  devDiagnostic(params: unknown): Promise<{ action: { tag: string; reason?: string } }>;
  createMigration(params: unknown): Promise<{ generatedMigrationName: string; migrationScript: string | null }>;
}

interface EngineModule {
  SchemaEngine: { new: (opts: unknown, log: (msg: string) => void, adapter: unknown) => Promise<SchemaEngine> };
}

let enginePromise: Promise<EngineModule> | undefined;

// The ES lib has no WebAssembly types; this is the little of it used here.
interface WasmApi {
  compile(bytes: Uint8Array): Promise<unknown>;
  instantiate(module: unknown, imports: Record<string, unknown>): Promise<{ exports: Record<string, unknown> }>;
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** Node 20 cannot import the package (its entry imports a .wasm file), so instantiate it once by hand. */
function loadEngineModule(): Promise<EngineModule> {
  enginePromise ??= (async () => {
    const g = globalThis as Record<string, unknown>;
    const registry = {
      message: '',
      set_message: (m: string) => {
        registry.message = m;
      },
    };
    g.PRISMA_WASM_PANIC_REGISTRY = registry;
    const bgPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bg = (await import(pathToFileURL(bgPath).href)) as EngineModule & {
      __wbg_set_wasm(exports: Record<string, unknown>): void;
    };
    const wasm = readFileSync(join(dirname(bgPath), 'schema_engine_bg.wasm'));
    const module = await wasmApi.compile(wasm);
    const instance = await wasmApi.instantiate(module, { './schema_engine_bg.js': bg });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as (() => void) | undefined)?.();
    return bg;
  })();
  return enginePromise;
}

/** pglite-prisma-adapter 0.7.2 does not await exec() in executeScript: a failing migration would look applied. */
function awaitingScripts(factory: PrismaPGlite): PrismaPGlite {
  const patch = <T extends { executeScript(s: string): Promise<void> }>(adapter: T): T => {
    const client = (adapter as unknown as { client: PGlite }).client;
    adapter.executeScript = async (script: string) => {
      await client.exec(script);
    };
    return adapter;
  };
  const connect = factory.connect.bind(factory);
  const connectToShadowDb = factory.connectToShadowDb.bind(factory);
  factory.connect = async () => patch(await connect());
  factory.connectToShadowDb = async () => patch(await connectToShadowDb());
  return factory;
}

async function openEngine(paths: EnginePaths): Promise<{ engine: SchemaEngine; close(): Promise<void> }> {
  const bg = await loadEngineModule();
  const db = new PGlite();
  const factory = bindMigrationAwareSqlAdapterFactory(awaitingScripts(new PrismaPGlite(db)));
  const schema = readFileSync(paths.schemaPath, 'utf8');
  const engine = await bg.SchemaEngine.new({ datamodels: [[paths.schemaPath, schema]] }, () => {}, factory);
  return { engine, close: () => db.close() };
}

const filters = { externalTables: [], externalEnums: [] };

function migrationsList(paths: EnginePaths) {
  const lockPath = join(paths.migrationsDir, 'migration_lock.toml');
  const dirs = existsSync(paths.migrationsDir)
    ? readdirSync(paths.migrationsDir, { withFileTypes: true })
        .filter((d) => d.isDirectory() && existsSync(join(paths.migrationsDir, d.name, 'migration.sql')))
        .map((d) => d.name)
        .sort()
    : [];
  return {
    baseDir: paths.migrationsDir,
    lockfile: {
      path: 'migration_lock.toml',
      content: existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : null,
    },
    shadowDbInitScript: '',
    migrationDirectories: dirs.map((name) => ({
      path: name,
      migrationFile: {
        path: 'migration.sql',
        content: { tag: 'ok', value: readFileSync(join(paths.migrationsDir, name, 'migration.sql'), 'utf8') },
      },
    })),
  };
}

/** Returns the SQL missing from the migrations, or null when they match the schema. */
export async function checkDrift(paths: EnginePaths = defaultPaths): Promise<string | null> {
  const { engine, close } = await openEngine(paths);
  try {
    const result = await engine.diff({
      from: { tag: 'migrations', ...migrationsList(paths) },
      to: {
        tag: 'schemaDatamodel',
        files: [{ path: paths.schemaPath, content: readFileSync(paths.schemaPath, 'utf8') }],
      },
      script: true,
      exitCode: true,
      filters,
    });
    return result.exitCode === 0 ? null : result.stdout;
  } finally {
    await close();
  }
}

function timestamp(now: Date): string {
  return now
    .toISOString()
    .replace(/[-:TZ.]/g, '')
    .slice(0, 14);
}

/** Writes a new migration folder; returns its name, or null when the schema has no change. */
export async function createMigration(
  name: string,
  paths: EnginePaths = defaultPaths,
  now: Date = new Date(),
): Promise<string | null> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`migration name must be snake_case, got "${name}"`);
  mkdirSync(paths.migrationsDir, { recursive: true });
  const lockPath = join(paths.migrationsDir, 'migration_lock.toml');
  if (!existsSync(lockPath)) {
    writeFileSync(
      lockPath,
      '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n',
    );
  }
  const { engine, close } = await openEngine(paths);
  try {
    const list = migrationsList(paths);
    await engine.applyMigrations({ migrationsList: list, filters });
    const diagnostic = await engine.devDiagnostic({ migrationsList: list, filters });
    if (diagnostic.action.tag === 'reset') {
      throw new Error(`migrations cannot be applied cleanly: ${diagnostic.action.reason ?? 'reset needed'}`);
    }
    const schema = readFileSync(paths.schemaPath, 'utf8');
    const result = await engine.createMigration({
      draft: false,
      migrationName: name,
      migrationsList: list,
      schema: { files: [{ path: paths.schemaPath, content: schema }] },
      filters,
    });
    if (result.migrationScript === null) return null;
    const dirName = `${timestamp(now)}_${name}`;
    mkdirSync(join(paths.migrationsDir, dirName), { recursive: true });
    writeFileSync(join(paths.migrationsDir, dirName, 'migration.sql'), result.migrationScript);
    return dirName;
  } finally {
    await close();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, name] = argv;
  if (command === 'drift') {
    const missing = await checkDrift();
    if (missing === null) {
      console.log('Migrations match prisma/schema.prisma.');
      return 0;
    }
    console.error(`Drift: prisma/schema.prisma has changes with no migration. Missing SQL:\n${missing}`);
    console.error('Run: npm run db:migration -- <name>');
    return 2;
  }
  if (command === 'create') {
    if (!name) {
      console.error('Usage: npm run db:migration -- <snake_case_name>');
      return 1;
    }
    const created = await createMigration(name);
    console.log(
      created ? `Created prisma/migrations/${created}/migration.sql` : 'No schema change: nothing to create.',
    );
    return 0;
  }
  console.error('Usage: schema-engine.ts create <name> | drift');
  return 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
