/**
 * What every command shares: the streams, colour, problems, atomic writes to --out, the
 * books and policy paths, and the common options. Each command is registered by a function
 * that takes the program and this context (see src/cli/main.ts), so commands live in their
 * own modules.
 */
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Option } from 'commander';
import type { ChalkInstance } from 'chalk';
import type { Decimal } from '../core/decimal.js';
import { ProblemsError, type Problem } from '../core/problem.js';
import { renderProblems } from '../render/problems.js';
import { fitRenderedTables, wrapProse } from '../render/text.js';
import { dateArg, UsageError } from './args.js';
import { terminalWidth, writeAtomically } from './output.js';
import { withBooksLock } from '../io/lock.js';

/** The installed package: the nearest directory above this module with finproc's package.json (bundled or not), and its version. */
function findPackage(): { root: string; version: string } {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const p = path.join(dir, 'package.json');
    if (existsSync(p)) {
      const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'finproc') return { root: dir, version: pkg.version ?? '0.0.0' };
    }
    const up = path.dirname(dir);
    if (up === dir) return { root: process.cwd(), version: '0.0.0' };
    dir = up;
  }
}
export const pkg = findPackage();
export const DEFAULT_BOOKS = path.join(pkg.root, 'data');

export interface Io {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export interface Cli {
  io: Io;
  /** Colours for stdout and stderr (none when piped, NO_COLOR set or --no-color). */
  out: ChalkInstance;
  err: ChalkInstance;
  /** The exit status when the command returns normally (e.g. 4 for a --fail-on condition). */
  code: number;
  /** --verbose: say what was written where, also when the output is piped. */
  verbose: boolean;
  say(s: string): void;
  /** Warnings (and errors) to stderr, sorted and located. */
  report(ps: Problem[]): void;
  /** Stop with these problems: exit 1 (2 if they are all argument problems). */
  fail(ps: Problem[]): never;
  /**
   * `render` may give its text in pieces (an iterable), printed as they come: then the
   * returned promise settles when the last piece is handed to stdout (each piece waits until
   * a slow reader of a pipe has taken the ones before, so they are not all held at once).
   */
  emit(o: { format?: string; out?: string }, base: string, render: (fmt: string) => string | Iterable<string>, formats: Record<string, string>, summary?: (written: string[]) => string): void | Promise<void>;
  /** Write atomically; `book: true` marks a file of the books the command records in (any other path in the books is refused). */
  write(files: { path: string; content: string | Uint8Array; book?: boolean }[]): void;
  booksDir(books: string): string;
  policyFile(policy: string | undefined): string | undefined;
  shown(p: string): string;
  yearOptions(o: { year: number; books: string; policy?: string; budget?: Decimal }): { books: string; cwd: string; year: number; policy?: string; budget?: Decimal };
  dateOpt(flag: string, what: string): Option;
  booksOpt(): Option;
  /** An input file named on the command line (--participants, --scenario): an --out that would replace it is refused. */
  inputFile(p: string): string;
  /** --wait SECONDS: how long a command that writes the books waits for their lock. */
  waitOpt(): Option;
  /** Run `fn` holding the lock on the books directory `dir` (exit 5 if another run holds it). */
  locked<T>(dir: string, command: string, wait: number | undefined, fn: () => T | Promise<T>): Promise<T>;
}

export function makeCli(io: Io, out: ChalkInstance, err: ChalkInstance): Cli {
  const paint = { red: err.red, yellow: err.yellow, dim: err.dim, bold: err.bold };
  const say = (s: string) => void io.stdout.write(s);
  const report = (ps: Problem[]) => {
    if (ps.length) io.stderr.write(renderProblems(ps, paint));
  };
  const fail = (ps: Problem[]): never => {
    throw new ProblemsError(ps);
  };
  const dateOpt = (flag: string, what: string) => new Option(`${flag} <date>`, what).argParser((v: string) => dateArg(flag, v));
  const booksOpt = () => new Option('--books <dir>', 'books directory').default(DEFAULT_BOOKS, 'the example books in data/');
  const waitOpt = () =>
    new Option('--wait <seconds>', 'if another run is writing the books, wait up to this many seconds for it (default: stop at once, exit 5)').argParser((v: string) => {
      if (!/^\d{1,5}(\.\d{1,3})?$/.test(v)) throw new UsageError(`--wait ${v}: expected a number of seconds, e.g. 30`);
      return Number(v);
    });
  const locked = <T>(dir: string, command: string, wait: number | undefined, fn: () => T | Promise<T>): Promise<T> =>
    withBooksLock(dir, fn, {
      command,
      ...(wait !== undefined ? { wait } : {}),
      onStale: (h, file) => void io.stderr.write(err.yellow(`warning: removed a stale lock ${shown(file)}${h ? ` left by PID ${h.pid}${h.command ? ` (finproc ${h.command})` : ''} since ${h.since}, which is no longer running` : ' that was never completed'}`) + '\n'),
    });

  /**
   * Print, or write to --out: a file (format from its extension) or a directory (every format,
   * a summary on a terminal). `render` takes 'tty' for the terminal table.
   */
  /**
   * Print the pieces one after the other. A pipe takes what its reader has read: when stdout
   * holds more than its buffer (write returns false), the next piece waits for 'drain', so a
   * slow reader does not make the whole text pile up in memory.
   */
  async function sayParts(parts: Iterable<string>): Promise<void> {
    const out = io.stdout;
    for (const piece of parts) {
      if (out.write(piece)) continue;
      if (out.destroyed || out.writableEnded) return;
      await new Promise<void>((resolve) => {
        const done = () => {
          out.off('drain', done);
          out.off('close', done);
          out.off('error', done);
          resolve();
        };
        out.on('drain', done);
        out.on('close', done);
        out.on('error', done);
      });
    }
  }

  /** Characters of output laid out again for a terminal's width, at most (about 8,000 rows of a bank proposal's table). */
  const FIT_MAX = 2 * 2 ** 20;

  function emit(o: { format?: string; out?: string }, base: string, renderParts: (fmt: string) => string | Iterable<string>, formats: Record<string, string>, summary?: (written: string[]) => string): void | Promise<void> {
    if (!o.out) {
      const fmt = o.format ?? 'tty';
      const r = renderParts(fmt);
      // On a terminal, prose wraps to its width and wide tables are laid out again for it.
      const w = fmt === 'tty' && io.stdout.isTTY ? terminalWidth(io.stdout, io.env) : undefined;
      // Pieces are printed as they come, unless a terminal's width asks for the whole text:
      // then up to FIT_MAX characters (thousands of table rows) are laid out for it; a longer
      // text (the proposal of a bank file of 200,000 entries: 1 GB laid out whole) is printed
      // as it comes, its lines as wide as the table, and a note says how to see it better.
      if (typeof r !== 'string' && w === undefined) return sayParts(r);
      if (typeof r === 'string') return say(w === undefined ? r : wrapProse(fitRenderedTables(r, w), w));
      const head: string[] = [];
      let size = 0;
      const it = r[Symbol.iterator]();
      for (let n = it.next(); !n.done; n = it.next()) {
        head.push(n.value);
        size += n.value.length;
        if (size > FIT_MAX) {
          io.stderr.write(`note: the output is too long to be laid out for the terminal's width: its tables are as wide as their widest cells (with --format csv or --out FILE, a spreadsheet shows them whole)\n`);
          return sayParts((function* () {
            yield* head;
            for (let m = it.next(); !m.done; m = it.next()) yield m.value;
          })());
        }
      }
      say(wrapProse(fitRenderedTables(head.join(''), w), w));
      return;
    }
    // Pieces are encoded as they come (a piece may be a tree of many small strings, cheap to
    // write at once, costly to keep while the next ones are made).
    const render = (fmt: string): string | Uint8Array => {
      const r = renderParts(fmt);
      if (typeof r === 'string') return r;
      const bytes: Buffer[] = [];
      for (const piece of r) bytes.push(Buffer.from(piece, 'utf8'));
      return Buffer.concat(bytes);
    };
    const target = path.resolve(io.cwd, o.out);
    const ext = path.extname(target).toLowerCase();
    const isDir = (existsSync(target) && statSync(target).isDirectory()) || ext === '';
    const byExt = Object.fromEntries(Object.entries(formats).map(([fmt, e]) => [e, fmt]));
    if (isDir) {
      if (o.format) throw new UsageError('--format goes with a file --out (e.g. --out report.csv); a directory --out gets every format');
      const files = Object.entries(formats).map(([fmt, e]) => ({ path: path.join(target, `${base}${e}`), content: render(fmt) }));
      write(files);
      if (io.stdout.isTTY && summary) say(summary(files.map((f) => shown(f.path))));
      else if (cli.verbose) say(`wrote ${files.map((f) => shown(f.path)).join(', ')}\n`);
      return;
    }
    const fmt = o.format ?? byExt[ext];
    if (!fmt) throw new UsageError(`--out ${o.out}: cannot tell the format from "${ext}"; add --format ${Object.keys(formats).join('|')}`);
    if (o.format && byExt[ext] && byExt[ext] !== o.format) throw new UsageError(`--format ${o.format} does not match --out ${o.out}: use a ${formats[o.format] ?? 'matching'} file name, or leave --format out`);
    write([{ path: target, content: render(fmt) }]);
    if (cli.verbose) say(`wrote ${shown(target)}\n`);
  }

  // The books and policy read by this run: an --out that would replace one of them is refused.
  const readDirs = new Set<string>();
  const readFiles = new Set<string>();
  function booksDir(books: string): string {
    const dir = path.resolve(io.cwd, books);
    if (!existsSync(dir)) throw new UsageError(`--books ${books}: no such directory`);
    if (!statSync(dir).isDirectory()) throw new UsageError(`--books ${books}: not a directory (give the directory that holds budgets.csv, parties.csv, …)`);
    readDirs.add(real(dir));
    return dir;
  }
  function policyFile(policy: string | undefined): string | undefined {
    if (policy === undefined) return undefined;
    const p = path.resolve(io.cwd, policy);
    if (!existsSync(p)) throw new UsageError(`--policy ${policy}: no such file`);
    if (statSync(p).isDirectory()) throw new UsageError(`--policy ${policy}: a directory, not a policy file`);
    readFiles.add(real(p));
    return p;
  }
  function inputFile(p: string): string {
    const abs = path.resolve(io.cwd, p);
    readFiles.add(real(abs));
    return abs;
  }
  /** The real path of `p` (symbolic links followed), or of its nearest existing parent joined with the rest. */
  function real(p: string): string {
    try {
      return realpathSync(p);
    } catch {
      const up = path.dirname(p);
      return up === p ? p : path.join(real(up), path.basename(p));
    }
  }
  /**
   * An output must not replace an input: a file directly in the books directory or in its
   * policies/ or scenarios/ that exists, a CSV or YAML file there, a YAML file anywhere in
   * the books (a policy), and the --policy file. Only the books' own
   * registers, when the command records, are written there.
   */
  function guardInputs(files: { path: string; book?: boolean }[]) {
    for (const f of files) {
      if (f.book) continue;
      const r = real(f.path);
      const inBooks = [...readDirs].find((d) => r === d || r.startsWith(d + path.sep));
      const top = inBooks !== undefined && (path.dirname(r) === inBooks || /^(policies|scenarios)$/.test(path.relative(inBooks, path.dirname(r))));
      const isInput = readFiles.has(r) || (inBooks !== undefined && ((top && (existsSync(r) || /\.(csv|ya?ml)$/i.test(r))) || /\.ya?ml$/i.test(r)));
      if (isInput) throw new UsageError(`--out ${shown(f.path)}${r !== path.resolve(f.path) ? ` (a link to ${shown(r)})` : ''} would ${existsSync(r) ? 'replace' : 'add'} a file of the books (${inBooks ? shown(inBooks) : 'an input named on the command line'}): write the output outside the books directory; nothing was written`);
    }
  }
  /** A path as the user should see it: relative inside the working directory, else absolute. */
  function shown(p: string): string {
    const rel = path.relative(io.cwd, p);
    return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
  }
  function write(files: { path: string; content: string | Uint8Array; book?: boolean }[]) {
    guardInputs(files);
    try {
      const left = writeAtomically(files.map((f) => ({ path: f.path, content: f.content })));
      const n = left.removed.length;
      if (n) io.stderr.write(err.yellow(`warning: removed ${n} temporary file${n === 1 ? '' : 's'} left by an interrupted run (e.g. ${shown(left.removed[0]!)})`) + '\n');
      for (const r of left.restored) io.stderr.write(err.yellow(`warning: put back ${shown(r)}, which an interrupted run had set aside while replacing it`) + '\n');
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      const where = err.path ? shown(err.path) : '--out';
      const why: Record<string, string> = { EACCES: 'permission denied', EPERM: 'not permitted', EEXIST: 'a file stands where a directory is needed', ENOTDIR: 'a file stands where a directory is needed', EISDIR: 'a directory stands where the file should go', ENOENT: 'no such directory', ENOSPC: 'no space left on the device', EFBIG: 'file too large (a file size limit: ulimit -f)', EDQUOT: 'disk quota exceeded', EROFS: 'read-only file system' };
      throw new UsageError(`--out: cannot write ${where}: ${why[err.code ?? ''] ?? err.message}; nothing was written`);
    }
  }
  function yearOptions(o: { year: number; books: string; policy?: string; budget?: Decimal }) {
    const policy = policyFile(o.policy);
    return {
      books: booksDir(o.books),
      cwd: io.cwd,
      year: o.year,
      ...(policy ? { policy } : {}),
      ...(o.budget ? { budget: o.budget } : {}),
    };
  }

  const cli: Cli = { io, out, err, code: 0, verbose: false, say, report, fail, emit, write, booksDir, policyFile, inputFile, shown, yearOptions, dateOpt, booksOpt, waitOpt, locked };
  return cli;
}
