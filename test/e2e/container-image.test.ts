/**
 * The container image, checked where no container engine runs: the Dockerfile's steps are run as a
 * script in a scratch folder (each stage its own root; COPY from the repository, minus what
 * .dockerignore leaves out, or from an earlier stage; WORKDIR, ENV, RUN), then the last stage's
 * CMD is started as the image would start it, its HEALTHCHECK command run against it, a lead sent,
 * and SIGTERM sent. A file the image forgot to copy, or a step that fails, fails here. The static
 * rules (not root, a volume for the data, no secrets baked in) and compose.yaml are checked too.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { INTAKE_KEY } from '../support/leadpool.js';
import { freePort } from '../support/postgres-server.js';
import { until } from '../support/until.js';

const REPO = join(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(join(REPO, file), 'utf8');

interface Instruction {
  op: string;
  args: string;
}

/** The Dockerfile's instructions, continuation lines joined and comments dropped. */
function instructions(text: string): Instruction[] {
  const joined = text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n')
    .replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [op = '', ...rest] = line.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(' ') };
    });
}

interface Stage {
  name: string;
  root: string;
  workdir: string;
  env: Record<string, string>;
  user: string;
  volumes: string[];
  exposed: string[];
  healthcheck: string[] | null;
  cmd: string[] | null;
}

/** .dockerignore's patterns, as the few forms it uses: a name anywhere at the top, `*.ext`, `!keep`. */
function ignoredBy(patterns: string[]): (path: string) => boolean {
  const rules = patterns.map((p) => ({ keep: p.startsWith('!'), glob: p.replace(/^!/, '') }));
  const matches = (glob: string, path: string) => {
    const regex = new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}(/|$)`);
    return regex.test(path);
  };
  return (path) => {
    let ignored = false;
    for (const rule of rules) if (matches(rule.glob, path)) ignored = !rule.keep;
    return ignored;
  };
}

const scratch = mkdtempSync(join(tmpdir(), 'leadpool-image-'));
let app: ChildProcess | null = null;
afterAll(() => {
  if (app && app.exitCode === null) app.kill('SIGKILL');
  rmSync(scratch, { recursive: true, force: true });
});

/** Runs the Dockerfile's steps; returns the stages, the last one being the image. */
function build(): Stage[] {
  const ignored = ignoredBy(
    read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#')),
  );
  const stages: Stage[] = [];
  let stage: Stage | null = null;
  const inRoot = (s: Stage, path: string) => join(s.root, path.startsWith('/') ? path : join(s.workdir, path));
  for (const { op, args } of instructions(read('Dockerfile'))) {
    if (op === 'FROM') {
      const name = /\bAS\s+(\S+)/i.exec(args)?.[1] ?? String(stages.length);
      stage = {
        name,
        root: join(scratch, name),
        workdir: '/',
        env: {},
        user: 'root',
        volumes: [],
        exposed: [],
        healthcheck: null,
        cmd: null,
      };
      mkdirSync(stage.root, { recursive: true });
      stages.push(stage);
      continue;
    }
    if (!stage) throw new Error(`${op} before FROM`);
    const s: Stage = stage;
    switch (op) {
      case 'WORKDIR':
        s.workdir = args.startsWith('/') ? args : join(s.workdir, args);
        mkdirSync(join(s.root, s.workdir), { recursive: true });
        break;
      case 'ENV':
        for (const pair of args.match(/\S+=("[^"]*"|\S*)/g) ?? []) {
          const at = pair.indexOf('=');
          s.env[pair.slice(0, at)] = pair.slice(at + 1).replace(/^"|"$/g, '');
        }
        break;
      case 'COPY': {
        const words = args.split(/\s+/);
        const from = words.find((w) => w.startsWith('--from='))?.slice(7);
        const paths = words.filter((w) => !w.startsWith('--'));
        const dest = paths.pop() as string;
        const source = from ? stages.find((x) => x.name === from) : null;
        if (from && !source) throw new Error(`COPY --from=${from}: no such stage`);
        for (const path of paths) {
          const src = source ? join(source.root, path) : join(REPO, path);
          if (!existsSync(src)) throw new Error(`COPY ${path}: not found`);
          if (!source && ignored(path)) throw new Error(`COPY ${path}: left out by .dockerignore`);
          const into = dest.endsWith('/') ? join(inRoot(s, dest), path.split('/').pop() as string) : inRoot(s, dest);
          cpSync(src, into, {
            recursive: true,
            verbatimSymlinks: true,
            filter: (file) => source !== null || !ignored(relative(REPO, file)),
          });
        }
        break;
      }
      case 'RUN': {
        // The steps are kept to paths under WORKDIR (the Dockerfile says so): nothing absolute to follow.
        expect(args).not.toMatch(/(^|\s)\/(?!dev\/null)/);
        const run = spawnSync('sh', ['-c', args], {
          cwd: join(s.root, s.workdir),
          env: { PATH: process.env.PATH, HOME: process.env.HOME, NPM_CONFIG_PREFER_OFFLINE: 'true', ...s.env },
          encoding: 'utf8',
          timeout: 600_000,
        });
        if (run.status !== 0) throw new Error(`RUN ${args} failed (${run.status}): ${run.stderr.slice(-2000)}`);
        break;
      }
      case 'USER':
        s.user = args;
        break;
      case 'VOLUME':
        s.volumes.push(...(JSON.parse(args) as string[]));
        break;
      case 'EXPOSE':
        s.exposed.push(...args.split(/\s+/));
        break;
      case 'HEALTHCHECK':
        s.healthcheck = JSON.parse(args.slice(args.indexOf('CMD ') + 4)) as string[];
        break;
      case 'CMD':
        s.cmd = JSON.parse(args) as string[];
        break;
      case 'STOPSIGNAL':
      case 'ARG':
      case 'LABEL':
        break;
      default:
        throw new Error(`the check does not know ${op}: teach it before using it`);
    }
  }
  return stages;
}

describe('the container image', () => {
  it('follows the rules: two stages, not root, the data on a volume, no secret baked in, the usual files left out', () => {
    const steps = instructions(read('Dockerfile'));
    expect(steps.filter((s) => s.op === 'FROM')).toHaveLength(2);
    const last = steps.slice(steps.map((s) => s.op).lastIndexOf('FROM'));
    const user = last.find((s) => s.op === 'USER')?.args;
    expect(user && user !== 'root' && user !== '0').toBe(true);
    const env = last
      .filter((s) => s.op === 'ENV')
      .map((s) => s.args)
      .join(' ');
    const dataDir = /DATA_DIR=(\S+)/.exec(env)?.[1];
    expect(last.find((s) => s.op === 'VOLUME')?.args).toContain(`"${dataDir}"`);
    expect(steps.some((s) => s.op === 'HEALTHCHECK' && s.args.includes('/healthz'))).toBe(true);
    expect(
      steps
        .filter((s) => s.op === 'ENV')
        .map((s) => s.args)
        .join(' '),
    ).not.toMatch(/TOKEN|SECRET|API_KEY|PASSWORD|DATABASE_URL/);
    const ignored = ignoredBy(
      read('.dockerignore')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith('#')),
    );
    for (const path of ['node_modules', '.env', '.env.local', 'data', '.git', '.test-output', 'src/generated'])
      expect(ignored(path), path).toBe(true);
    expect(ignored('.env.example')).toBe(false);
  });

  it('compose.yaml runs PostgreSQL and two instances of the image on it, started once it is healthy', () => {
    const compose = parse(read('compose.yaml'), { merge: true }) as {
      services: Record<
        string,
        {
          build?: string;
          image?: string;
          environment?: Record<string, string>;
          depends_on?: Record<string, { condition: string }>;
          healthcheck?: unknown;
          stop_grace_period?: string;
        }
      >;
    };
    const postgres = compose.services.postgres;
    expect(postgres?.image).toMatch(/^postgres:/);
    expect(postgres?.healthcheck).toBeDefined();
    const apps = Object.values(compose.services).filter((s) => s.build === '.');
    expect(apps.length).toBeGreaterThanOrEqual(2);
    for (const service of apps) {
      expect(service.environment?.DATABASE_URL).toMatch(/@postgres:5432\//);
      expect(service.depends_on?.postgres?.condition).toBe('service_healthy');
      // Longer than the shutdown's grace (10 s), so a stop is never cut short.
      expect(Number.parseInt(service.stop_grace_period ?? '10s', 10)).toBeGreaterThan(15);
    }
  });

  it("builds by running the Dockerfile's steps, then starts, passes its health check, takes a lead and stops on SIGTERM", async () => {
    const stages = build();
    const image = stages.at(-1) as Stage;
    expect(image.cmd).not.toBeNull();
    const port = await freePort();
    // The image's own paths, under the scratch root (DATA_DIR=/app/data is the volume).
    const env: Record<string, string> = { PATH: process.env.PATH ?? '' };
    for (const [key, value] of Object.entries(image.env))
      env[key] = value.startsWith('/') ? join(image.root, value) : value;
    Object.assign(env, { PORT: String(port), INTAKE_API_KEY: INTAKE_KEY, PLAYGROUND: 'off' });
    const cwd = join(image.root, image.workdir);
    const [command, ...args] = image.cmd as string[];
    const logs: string[] = [];
    app = spawn(command === 'node' ? process.execPath : (command as string), args, {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    app.stdout?.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
    app.stderr?.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
    const url = `http://127.0.0.1:${port}`;
    await until(
      async () => {
        if (app?.exitCode !== null) throw new Error(`the image's command exited: ${logs.join('').slice(-2000)}`);
        return (await fetch(`${url}/readyz`).catch(() => null))?.status === 200;
      },
      'the image to be ready',
      90_000,
      { detail: async () => logs.join('').slice(-2000) },
    );
    const [hcCommand, ...hcArgs] = image.healthcheck as string[];
    const health = spawnSync(hcCommand === 'node' ? process.execPath : (hcCommand as string), hcArgs, {
      env,
      encoding: 'utf8',
    });
    expect(health.status).toBe(0);
    const lead = await fetch(`${url}/api/leads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${INTAKE_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ team: 'inbound', name: 'Image Lead', email: 'image@lead.example' }),
    });
    expect(lead.status).toBe(201);
    // The embedded database was made in the volume's folder.
    expect(existsSync(join(image.root, image.volumes[0] as string))).toBe(true);
    const exited = new Promise<number | null>((resolve) => app?.once('exit', (code) => resolve(code)));
    app.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 600_000);
});
