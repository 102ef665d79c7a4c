import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * PGlite is one process's database: a second process opening the same folder works on its own copy
 * of the pages and one of them loses its writes. A lock file beside the folder names the holder;
 * a holder that is gone (killed, crashed) leaves a stale lock that the next opener takes over.
 */
export interface EmbeddedLockHolder {
  pid: number;
  host: string;
  command: string;
  since: string;
  /** The holder's start time as the kernel counts it, so a reused pid is not taken for the holder. */
  bootTicks: string | null;
}

export class EmbeddedDatabaseBusyError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: EmbeddedLockHolder,
  ) {
    super(
      `The embedded database in ${dataDir} is in use by process ${holder.pid} (${holder.command}, since ${holder.since}). ` +
        'Only one process may open it: stop that process first, or run against PostgreSQL (DATABASE_URL) so several processes can share the data.',
    );
    this.name = 'EmbeddedDatabaseBusyError';
  }
}

export interface EmbeddedLock {
  release(): void;
}

export function lockPathOf(dataDir: string): string {
  return `${dataDir.replace(/\/+$/, '')}.lock`;
}

export function acquireEmbeddedLock(dataDir: string, command = describeThisProcess()): EmbeddedLock {
  const path = lockPathOf(dataDir);
  const me: EmbeddedLockHolder = {
    pid: process.pid,
    host: hostname(),
    command,
    since: new Date().toISOString(),
    bootTicks: bootTicksOf(process.pid),
  };
  // Two tries: the second follows the removal of a stale lock, and loses to whoever took it first.
  for (let attempt = 0; attempt < 2; attempt++) {
    if (createExclusively(path, `${JSON.stringify(me)}\n`)) return lockReleasedAtExit(path);
    const holder = readHolder(path);
    if (holder && isAlive(holder)) throw new EmbeddedDatabaseBusyError(dataDir, holder);
    rmSync(path, { force: true });
  }
  const holder = readHolder(path);
  throw new EmbeddedDatabaseBusyError(dataDir, holder ?? { ...me, pid: 0, command: 'another process' });
}

function createExclusively(path: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return true;
}

function lockReleasedAtExit(path: string): EmbeddedLock {
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    process.off('exit', release);
    const holder = readHolder(path);
    if (holder?.pid === process.pid) rmSync(path, { force: true });
  };
  process.on('exit', release);
  return { release };
}

function readHolder(path: string): EmbeddedLockHolder | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as EmbeddedLockHolder;
  } catch {
    // Unreadable or half-written: a writer died between create and write, so nobody holds it.
    return null;
  }
}

function isAlive(holder: EmbeddedLockHolder): boolean {
  // Another machine sharing the folder cannot be asked: only its own release frees the lock.
  if (holder.host !== hostname()) return true;
  if (holder.pid === process.pid) return true;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  const ticks = bootTicksOf(holder.pid);
  return holder.bootTicks === null || ticks === null || ticks === holder.bootTicks;
}

/** Field 22 of /proc/PID/stat (after the parenthesised name, which may hold spaces). Linux only. */
function bootTicksOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function describeThisProcess(): string {
  const script = process.argv[1]?.split('/').slice(-2).join('/') ?? 'node';
  const args = process.argv.slice(2, 3).join(' ');
  return args ? `${script} ${args}` : script;
}
