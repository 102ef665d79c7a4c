import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureLogLine } from './captured-log.js';
import { INTAKE_KEY } from './leadpool.js';
import { freePort } from './postgres-server.js';

/**
 * Starts Leadpool as its own process with the real start command (src/main.ts), as in production,
 * and waits until it answers /healthz. Benchmarks use it so the app does not share their CPU time.
 */
export async function spawnApp(options: {
  databaseUrl: string;
  teamsYaml: string;
  env?: Record<string, string>;
  /** Collects the app's log lines (its stdout) instead of printing them. */
  logLines?: string[];
  /** Collects what the app writes to stderr instead of printing it. */
  stderrLines?: string[];
  /** Node's own flags for the app (a benchmark's --cpu-prof). */
  nodeArgs?: readonly string[];
}): Promise<{ url: string; child: ChildProcess }> {
  const dir = mkdtempSync(join(tmpdir(), 'leadpool-bench-'));
  const teamsPath = join(dir, 'teams.yaml');
  writeFileSync(teamsPath, options.teamsYaml);
  const port = await freePort();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', 'src/main.ts'], {
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      DATABASE_URL: options.databaseUrl,
      TEAMS_CONFIG: teamsPath,
      INTAKE_API_KEY: INTAKE_KEY,
      SLA_SWEEP_SCHEDULE: '0 0 1 1 *',
      // A third messenger with its own outbox rows: a test that wants it says so.
      PLAYGROUND: 'off',
      ...options.env,
    },
    // Its output is kept, and shown only for a failing test (test/support/log-capture.setup.ts).
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.stdout) collectLines(child.stdout, options.logLines ?? [], `app ${child.pid} stdout`);
  if (child.stderr) collectLines(child.stderr, options.stderrLines ?? [], `app ${child.pid} stderr`);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the app exited with ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error('the app did not become healthy within 60 s');
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { url, child };
    await new Promise((r) => setTimeout(r, 200));
  }
}

function collectLines(stream: NodeJS.ReadableStream, lines: string[], source: string): void {
  let partial = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts.filter(Boolean)) {
      lines.push(line);
      captureLogLine(source, line);
    }
  });
}
