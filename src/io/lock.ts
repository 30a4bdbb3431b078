/**
 * A lock on the books: every command that writes the books (apportion --record,
 * meeting-costs --record, invoice) holds it from the moment it reads the books until its
 * files are in place, so that two runs never allocate the same invoice number or lose each
 * other's rows.
 *
 * The lock is a file, BOOKS/.finproc.lock, created with O_EXCL (open 'wx': exactly one
 * process can create it), holding who took it: PID, host, command and time. It is removed
 * when the command ends, on an error, and on SIGINT/SIGTERM/SIGHUP. A lock left by a process
 * that no longer runs (kill -9, a power cut) is recognised by its PID on the same host and
 * broken by the next run, which says so. A lock from another host is never broken
 * automatically (its PID cannot be checked from here): the message says which file to remove.
 *
 * Why not proper-lockfile: it decides staleness by an mtime refreshed on a timer, and a long
 * synchronous computation (200 invoices, a PDF run) starves the timer, so a second run would
 * take a lock still in use. A PID cannot go stale while its process lives.
 */
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

export const LOCK_FILE = '.finproc.lock';

export interface LockHolder {
  pid: number;
  host: string;
  command: string;
  since: string;
  token: string;
}

/** The books are in use by another run (exit status 5). */
export class BooksLockedError extends Error {
  constructor(
    message: string,
    readonly holder: LockHolder | undefined,
    readonly lockFile: string,
  ) {
    super(message);
  }
}

export interface LockOptions {
  /** Seconds to wait for the lock (default 0: fail at once when the books are in use). */
  wait?: number;
  /** The command taking it, shown to a second run (e.g. "invoice --year 2026"). */
  command?: string;
  /** Told when a stale lock (its process gone) is broken. */
  onStale?: (holder: LockHolder | undefined, file: string) => void;
  /** For tests: the clock and the liveness check. */
  now?: () => Date;
  alive?: (pid: number) => boolean;
}

/** Is a process of this machine still running (EPERM: it exists but belongs to someone else)? */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(file: string): LockHolder | undefined | 'gone' {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw e;
  }
  try {
    const h = JSON.parse(text) as Partial<LockHolder>;
    if (typeof h.pid === 'number' && typeof h.host === 'string' && typeof h.since === 'string') return { pid: h.pid, host: h.host, command: String(h.command ?? ''), since: h.since, token: String(h.token ?? '') };
  } catch {
    /* half-written: see below */
  }
  return undefined;
}

/** Create `file` with `content` only if it does not exist; false if it does. */
function createExclusive(file: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    writeSync(fd, content);
  } catch (e) {
    closeSync(fd);
    try {
      unlinkSync(file);
    } catch {
      /* nothing more to do */
    }
    throw e;
  } finally {
    try {
      closeSync(fd);
    } catch {
      /* already closed */
    }
  }
  return true;
}

/** A lock is stale when its process is gone (same host), or when it was never completed and is older than a few seconds. */
function isStale(file: string, h: LockHolder | undefined, alive: (pid: number) => boolean, now: Date): boolean {
  if (h) return h.host === hostname() && h.pid !== process.pid && !alive(h.pid);
  try {
    return now.getTime() - statSync(file).mtimeMs > 5000;
  } catch {
    return false;
  }
}

/**
 * Break a stale lock. Two runs may find the same stale lock: a second exclusive file
 * (.finproc.lock.break) lets only one of them remove it, after reading it again, so that a
 * fresh lock taken meanwhile is never removed.
 */
function breakStale(file: string, seen: LockHolder | undefined, alive: (pid: number) => boolean, now: Date): boolean {
  const breaker = `${file}.break`;
  const me = JSON.stringify({ pid: process.pid, host: hostname(), command: 'breaking a stale lock', since: now.toISOString(), token: randomBytes(8).toString('hex') });
  if (!createExclusive(breaker, me)) {
    const b = readHolder(breaker);
    if (b !== 'gone' && isStale(breaker, b, alive, now)) {
      try {
        unlinkSync(breaker);
      } catch {
        /* another run did it */
      }
    }
    return false;
  }
  try {
    const again = readHolder(file);
    if (again === 'gone') return true;
    if (JSON.stringify(again) !== JSON.stringify(seen) || !isStale(file, again, alive, now)) return false;
    unlinkSync(file);
    return true;
  } finally {
    try {
      unlinkSync(breaker);
    } catch {
      /* gone */
    }
  }
}

function describe(h: LockHolder | undefined, lockFile: string): string {
  if (!h) return `the books are in use: ${lockFile} is being created by another run`;
  return `the books are in use by PID ${h.pid}${h.host !== hostname() ? ` on ${h.host}` : ''}${h.command ? ` (finproc ${h.command})` : ''} since ${h.since}`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Take the lock on the books directory `dir`, run `fn`, release the lock (also when `fn`
 * throws). Throws BooksLockedError if the lock cannot be had within `wait` seconds.
 */
export async function withBooksLock<T>(dir: string, fn: () => T | Promise<T>, o: LockOptions = {}): Promise<T> {
  const file = path.join(dir, LOCK_FILE);
  const now = o.now ?? (() => new Date());
  const alive = o.alive ?? pidAlive;
  const token = randomBytes(8).toString('hex');
  const deadline = Date.now() + Math.max(0, o.wait ?? 0) * 1000;
  let last: LockHolder | undefined;
  for (;;) {
    const mine: LockHolder = { pid: process.pid, host: hostname(), command: o.command ?? '', since: now().toISOString(), token };
    if (createExclusive(file, JSON.stringify(mine) + '\n')) break;
    const h = readHolder(file);
    if (h === 'gone') continue;
    last = h;
    if (isStale(file, h, alive, now())) {
      if (breakStale(file, h, alive, now())) {
        o.onStale?.(h, file);
        continue;
      }
    }
    if (Date.now() >= deadline) {
      const hint = h && h.host !== hostname() ? `; if no finproc is running on ${h.host}, remove ${file}` : o.wait ? `; waited ${o.wait} s` : '; try again when it has finished, or pass --wait SECONDS';
      throw new BooksLockedError(`${describe(last, file)}${hint}`, last, file);
    }
    await sleep(Math.min(100, Math.max(1, deadline - Date.now())));
  }
  const release = () => {
    try {
      const h = readHolder(file);
      if (h && h !== 'gone' && h.token === token) unlinkSync(file);
    } catch {
      /* nothing to release */
    }
  };
  // A signal ends the process without running `finally`: release first, then die of the signal.
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const onSignal = (sig: NodeJS.Signals) => {
    release();
    for (const s of signals) process.removeListener(s, onSignal);
    process.kill(process.pid, sig);
  };
  for (const s of signals) process.on(s, onSignal);
  process.on('exit', release);
  try {
    return await fn();
  } finally {
    for (const s of signals) process.removeListener(s, onSignal);
    process.removeListener('exit', release);
    release();
  }
}
