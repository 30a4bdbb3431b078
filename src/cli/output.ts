/**
 * The shell's side effects: colour decision, atomic writes.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Chalk, type ChalkInstance } from 'chalk';
import { pidAlive } from '../io/lock.js';

/**
 * Colour level: --color / --no-color, then NO_COLOR (set and non-empty: none), then
 * FORCE_COLOR, then whether the stream is a colour terminal. chalk alone ignores NO_COLOR.
 */
export function colourFor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv, flag: boolean | undefined): ChalkInstance {
  let level: 0 | 1 | 2 | 3 = 0;
  if (flag === false) level = 0;
  else if (flag === true) level = 1;
  else if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') level = 0;
  else if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') {
    const n = Number(env.FORCE_COLOR);
    level = env.FORCE_COLOR === 'true' ? 1 : Number.isInteger(n) && n >= 0 && n <= 3 ? (n as 0 | 1 | 2 | 3) : 1;
  } else if (stream.isTTY && typeof stream.hasColors === 'function' && stream.hasColors()) level = 1;
  return new Chalk({ level });
}

/** The file operations writeAtomically uses; tests inject failures (a full disk, a file size limit). */
export interface WriteFs {
  writeFile: (file: string, content: string | Uint8Array) => void;
  rename: (from: string, to: string) => void;
}
const realFs: WriteFs = {
  writeFile: (file, content) => (typeof content === 'string' ? writeFileSync(file, content, { encoding: 'utf8', flag: 'wx' }) : writeFileSync(file, content, { flag: 'wx' })),
  rename: renameSync,
};

/** What a write found left over by an interrupted run (killed outright) and cleaned up. */
export interface Leftovers {
  /** Temporary files removed. */
  removed: string[];
  /** Files put back from their kept-aside previous version (the run died between two renames). */
  restored: string[];
}

// .NAME.PID-TAG.tmp, and .NAME.PID-TAG.tmp.previous for the file it replaces.
const TEMP = /^\.(.+)\.(\d+)-[0-9a-f]{12}\.tmp(\.previous)?$/;


/**
 * Remove the temporary files that a run killed outright (kill -9, a power cut) left in `dir`:
 * those whose process is gone. A kept-aside previous version whose file is missing (the run
 * died between moving it aside and moving the new one in) is put back, not removed.
 */
export function sweepLeftovers(dir: string, alive: (pid: number) => boolean = pidAlive): Leftovers {
  const found: Leftovers = { removed: [], restored: [] };
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return found;
  }
  for (const name of names.sort()) {
    const m = TEMP.exec(name);
    if (!m) continue;
    const pid = Number(m[2]);
    if (pid === process.pid || alive(pid)) continue;
    const p = path.join(dir, name);
    try {
      if (m[3]) {
        const target = path.join(dir, m[1]!);
        if (!existsSync(target)) {
          renameSync(p, target);
          found.restored.push(target);
          continue;
        }
      }
      rmSync(p, { force: true });
      found.removed.push(p);
    } catch {
      /* another run is cleaning too */
    }
  }
  return found;
}

/**
 * The width terminal tables must fit, or undefined for no limit: COLUMNS when set (a whole
 * number of at least 40), else the terminal's width when stdout is a terminal. Piped output
 * without COLUMNS keeps every column (for grep and files).
 */
export function terminalWidth(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv): number | undefined {
  const c = env.COLUMNS;
  if (c !== undefined && /^\d{1,4}$/.test(c.trim()) && Number(c) >= 40) return Number(c);
  return stream.isTTY && typeof stream.columns === 'number' && stream.columns >= 40 ? stream.columns : undefined;
}

/**
 * Whether `emit` (src/cli/context.ts) will render `format` for these options: to a terminal
 * with --format, to a file by --format or its extension, or to a directory (every format).
 * Lets a command do slow work (drawing charts) only when that format is written.
 */
export function emitsFormat(o: { format?: string; out?: string }, cwd: string, format: string, ext: string): boolean {
  if (!o.out) return o.format === format;
  const target = path.resolve(cwd, o.out);
  const e = path.extname(target).toLowerCase();
  if ((existsSync(target) && statSync(target).isDirectory()) || e === '') return true;
  return (o.format ?? (e === ext ? format : undefined)) === format;
}

/**
 * Write every file or none. Each goes to a temporary file beside its target first; only
 * when all are written are they renamed into place (rename is atomic on one file system).
 * A file being replaced is kept aside until every rename has succeeded, so that a failure
 * part-way puts the previous files back as they were, and every temporary file is removed
 * on every failure (a full disk, a file size limit). The files are renamed in the order
 * given: callers put the books' register first, so a run killed outright between two renames
 * never leaves a document without its register row. A run killed outright cannot clean up:
 * the next write into the same directory removes what it left (its PID is in the names) and
 * returns it, so that the command can say so. Text is written as UTF-8; bytes (a PDF) as they are.
 */
export function writeAtomically(files: { path: string; content: string | Uint8Array }[], fs: Partial<WriteFs> = {}): Leftovers {
  const ops: WriteFs = { ...realFs, ...fs };
  const tag = `${process.pid}-${randomBytes(6).toString('hex')}`;
  const staged: { tmp: string; path: string }[] = [];
  const moved: { path: string; backup?: string }[] = [];
  const left: Leftovers = { removed: [], restored: [] };
  for (const d of [...new Set(files.map((f) => path.dirname(f.path)))]) {
    const l = sweepLeftovers(d);
    left.removed.push(...l.removed);
    left.restored.push(...l.restored);
  }
  try {
    for (const f of files) {
      if (existsSync(f.path) && statSync(f.path).isDirectory()) {
        throw Object.assign(new Error(`${f.path} is a directory`), { code: 'EISDIR', path: f.path });
      }
      ensureDir(path.dirname(f.path));
      const tmp = path.join(path.dirname(f.path), `.${path.basename(f.path)}.${tag}.tmp`);
      // Listed before it is written: a write that fails part-way (ENOSPC, EFBIG) leaves a partial file to remove.
      staged.push({ tmp, path: f.path });
      try {
        ops.writeFile(tmp, f.content);
      } catch (e) {
        // A failed write (ENOSPC, EFBIG) names no path: name the file meant.
        const err = e as NodeJS.ErrnoException;
        if (err && typeof err === 'object' && !err.path) err.path = f.path;
        throw e;
      }
    }
    for (const s of staged) {
      const backup = existsSync(s.path) ? `${s.tmp}.previous` : undefined;
      if (backup) ops.rename(s.path, backup);
      moved.push({ path: s.path, ...(backup ? { backup } : {}) });
      ops.rename(s.tmp, s.path);
    }
  } catch (e) {
    for (const m of moved.reverse()) {
      try {
        if (m.backup) renameSync(m.backup, m.path);
        else rmSync(m.path, { force: true });
      } catch {
        /* keep going: put back as much as possible */
      }
    }
    for (const s of staged) rmSync(s.tmp, { force: true });
    throw e;
  }
  for (const m of moved) if (m.backup) rmSync(m.backup, { force: true });
  return left;
}

/**
 * mkdir -p, one level at a time. Node 20's `mkdirSync(p, { recursive: true })` never returns
 * for a path under /proc (found by the hostile-input hunt); plain mkdir fails at once there.
 */
function ensureDir(dir: string): void {
  const missing: string[] = [];
  let d = path.resolve(dir);
  while (!existsSync(d)) {
    missing.push(d);
    const up = path.dirname(d);
    if (up === d) break;
    d = up;
  }
  for (const m of missing.reverse()) mkdirSync(m);
}
