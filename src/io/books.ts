/**
 * Loading a books directory: every file read once, hashed, parsed and validated; all
 * problems collected, none thrown. The file names are fixed (data/README.md):
 *
 *   states.csv  parties.csv  scale.csv  ldc.csv  budgets.csv  policy.yaml (and others)
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fstatSync, lstatSync, openSync, readlinkSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { periodShare, type BudgetRecord, type PartyRecord, type ReferenceData, type ScaleTable, type StateInfo } from '../core/books.js';
import { D, type Decimal } from '../core/decimal.js';
import { parseAmount, parseDate, parseIso3, parseYear } from '../core/parse.js';
import { cmp, problem, type Problem } from '../core/problem.js';
import { atCell, cellProblem, readCsv, type CsvSpec, type CsvTable } from './csv.js';
import { readPolicy, type PolicyFile } from './policy-file.js';

export const BOOK_FILES = {
  states: 'states.csv',
  parties: 'parties.csv',
  scale: 'scale.csv',
  ldc: 'ldc.csv',
  budgets: 'budgets.csv',
} as const;
export const DEFAULT_POLICY = 'policy.yaml';
export const LANGUAGES = ['en', 'fr', 'es', 'ar', 'ru', 'zh'] as const;
/**
 * Characters refused in any free text of the books: C0, DEL and C1 controls, the line and
 * paragraph separators, and the bidi embeddings, overrides and isolates (U+202A–U+202E,
 * U+2066–U+2069: text shown in another order than it is written). The one definition, for
 * every loader.
 */
// eslint-disable-next-line no-control-regex
export const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

export interface InputFile {
  /** As shown in reports: relative to the books directory (stable across machines). */
  name: string;
  /** As shown in error messages: relative to the working directory. */
  display: string;
  sha256: string;
}

export interface Books {
  dir: string;
  ref: ReferenceData;
  budgets: BudgetRecord[];
  /** Where each budget row is, for errors found later (budget-unit, …). */
  budgetCell: (year: number, column: string) => Pick<Problem, 'file' | 'line' | 'column' | 'excerpt' | 'width' | 'field'>;
  /** Warnings for entries into force not on the first of a month, for a policy that requires it. */
  notFirstOfMonth: Problem[];
  files: InputFile[];
}

export class FileReader {
  readonly files = new Map<string, InputFile>();
  /** The text of each file read, so that a second reader of it in the same run (check's scan of dates) reads no file twice. */
  private readonly texts = new Map<string, { text: string; display: string }>();
  /** @param cwd the directory error messages are relative to */
  constructor(
    readonly dir: string,
    readonly cwd: string = process.cwd(),
  ) {}

  display(abs: string): string {
    const rel = path.relative(this.cwd, abs);
    return rel === '' ? '.' : rel.startsWith('..') ? abs : rel;
  }

  /** Name for reports: relative to the books dir when inside it, else the base name. */
  reportName(abs: string): string {
    const rel = path.relative(this.dir, abs);
    return rel.startsWith('..') || path.isAbsolute(rel) ? path.basename(abs) : rel.split(path.sep).join('/');
  }

  read(abs: string, problems: Problem[]): { text: string; display: string } | undefined {
    const seen = this.texts.get(abs);
    if (seen) return seen;
    const display = this.display(abs);
    // A link that leads nowhere (dangling, or to itself) is there but unreadable: never "no file".
    const link = brokenLink(abs);
    if (link) {
      problems.push(problem('file-unreadable', `cannot read the file: ${link}`, { file: display, hint: `replace ${path.basename(abs)} by the file itself, or point the link at an existing file` }));
      return undefined;
    }
    if (!existsSync(abs)) {
      problems.push(problem('file-missing', `file not found`, { file: display, hint: `the books directory ${this.display(this.dir) || '.'} must contain ${path.basename(abs)} (see data/README.md)` }));
      return undefined;
    }
    let bytes: Buffer;
    try {
      const r = readCapped(abs);
      if ('refused' in r) {
        problems.push(problem('file-unreadable', r.refused, { file: display, hint: r.hint }));
        return undefined;
      }
      bytes = r.bytes;
    } catch (e) {
      problems.push(problem('file-unreadable', `cannot read the file: ${(e as Error).message}`, { file: display }));
      return undefined;
    }
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
      // Where the first invalid byte is: decode leniently and find the first replacement.
      const lenient = new TextDecoder('utf-8').decode(bytes);
      const at = lenient.indexOf('\uFFFD');
      const before = lenient.slice(0, Math.max(0, at));
      const line = before.split('\n').length;
      const column = before.length - before.lastIndexOf('\n');
      problems.push(
        problem('file-unreadable', utf16 ? 'the file is UTF-16, not UTF-8' : 'the file is not valid UTF-8 (Latin-1 or Windows-1252?)', {
          file: display,
          ...(utf16 || at < 0 ? {} : { line, column, excerpt: lenient.split('\n')[line - 1]?.replace(/\r$/, '') ?? '', width: 1 }),
          hint: 'save it as UTF-8 (Excel: "CSV UTF-8 (Comma delimited)")',
        }),
      );
      return undefined;
    }
    this.files.set(abs, { name: this.reportName(abs), display, sha256: createHash('sha256').update(bytes).digest('hex') });
    const read = { text, display };
    this.texts.set(abs, read);
    return read;
  }

  /** Whether the books have this file: a symbolic link counts, even one that leads nowhere (reading it is then an error). */
  exists(abs: string): boolean {
    return existsSync(abs) || brokenLink(abs) !== undefined;
  }

  list(): InputFile[] {
    return [...this.files.values()].sort((a, b) => cmp(a.name, b.name));
  }
}

/**
 * The largest input finproc reads, by kind: a policy, scenario or issuer file (YAML) is a page
 * of rules; a CSV file may be a ledger of millions of payments. Beyond these a file is refused
 * with the limit named, instead of taking all the memory (a 50 MB one-line policy took 2 GB).
 */
export const INPUT_LIMITS = { yaml: 1024 * 1024, csv: 256 * 1024 * 1024 } as const;

function mb(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MB` : `${Math.ceil(n / 1024)} kB`;
}

/**
 * Read a regular file of at most its kind's limit. A device or a pipe (payments.csv linked to
 * /dev/zero would grow without bound) is refused before reading; the size is checked as read,
 * not only by stat, since some files (under /proc) say they are empty.
 */
export function readCapped(abs: string): { bytes: Buffer } | { refused: string; hint: string } {
  const yaml = /\.ya?ml$/i.test(abs);
  const limit = yaml ? INPUT_LIMITS.yaml : INPUT_LIMITS.csv;
  const hint = yaml ? `a policy is a page of rules: at most ${mb(INPUT_LIMITS.yaml)}` : `split the file, or archive the years no report needs (the limit is ${mb(INPUT_LIMITS.csv)})`;
  const fd = openSync(abs, 'r');
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { refused: `not a regular file (${st.isCharacterDevice() ? 'a device' : st.isFIFO() ? 'a pipe' : st.isSocket() ? 'a socket' : 'not a file'}): finproc reads only files`, hint: 'give the file itself, not a device or a pipe' };
    if (st.size > limit) return { refused: `the file is ${mb(st.size)}, more than the limit of ${mb(limit)} for a ${yaml ? 'YAML' : 'CSV'} file`, hint };
    const chunks: Buffer[] = [];
    let total = 0;
    const buf = Buffer.allocUnsafe(Math.min(limit + 1, Math.max(64 * 1024, st.size + 1)));
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      total += n;
      if (total > limit) return { refused: `the file is more than the limit of ${mb(limit)} for a ${yaml ? 'YAML' : 'CSV'} file`, hint };
      chunks.push(Buffer.from(buf.subarray(0, n)));
    }
    return { bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total) };
  } finally {
    closeSync(fd);
  }
}

/** Why `abs` is a symbolic link that cannot be followed (dangling, a loop), or undefined. */
export function brokenLink(abs: string): string | undefined {
  let target: string;
  try {
    if (!lstatSync(abs).isSymbolicLink()) return undefined;
    target = readlinkSync(abs);
  } catch {
    return undefined;
  }
  try {
    statSync(abs);
    return undefined;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return `it is a symbolic link that leads back to itself (${target})`;
    if (code === 'ENOENT') return `it is a symbolic link to ${target}, which does not exist`;
    return `it is a symbolic link to ${target}, which cannot be read (${code})`;
  }
}

function table(reader: FileReader, name: string, spec: CsvSpec, problems: Problem[]): CsvTable | undefined {
  const f = reader.read(path.join(reader.dir, name), problems);
  if (!f) return undefined;
  const r = readCsv(f.display, f.text, spec);
  problems.push(...r.problems);
  return r.table;
}

export function loadBooks(dir: string, reader = new FileReader(dir)): { books?: Books; problems: Problem[] } {
  const problems: Problem[] = [];
  const states = loadStates(table(reader, BOOK_FILES.states, { required: ['iso3', 'name_en', 'name_fr', 'name_es', 'language'] }, problems), problems);
  const known = (t: CsvTable, row: CsvTable['rows'][number], col: string): string | undefined => {
    const r = parseIso3(row.text(col) ?? '');
    if (!r.ok) {
      problems.push(cellProblem(t, row, col, r));
      return undefined;
    }
    if (states && !states.has(r.value)) {
      problems.push(atCell(t, row, col, 'iso3-unknown', `${r.value} is not in ${BOOK_FILES.states}`, 'check the code (ISO 3166-1 alpha-3), or add the State to states.csv'));
      return undefined;
    }
    return r.value;
  };
  const dup = (t: CsvTable, row: CsvTable['rows'][number], col: string, seen: KeySet, key: string) => isDuplicate(t, row, col, seen, key, problems);

  // parties.csv
  const parties: PartyRecord[] = [];
  const notFirstOfMonth: Problem[] = [];
  const pt = table(reader, BOOK_FILES.parties, { required: ['iso3', 'participant', 'entry_into_force', 'withdrawal_effective'], optional: ['signature_date', 'instrument_type', 'instrument_deposit_date', 'withdrawal_notified'], pattern: /^status(_\d{4}_\d{2}_\d{2})?$/ }, problems);
  if (pt) {
    const seen = new KeySet();
    for (const row of pt.rows) {
      const iso3 = known(pt, row, 'iso3');
      if (!iso3 || dup(pt, row, 'iso3', seen, iso3)) continue;
      const date = (col: string): string | undefined | null => {
        const c = row.text(col);
        if (c === undefined || c.trim() === '') return undefined;
        const r = parseDate(c);
        if (!r.ok) {
          problems.push(cellProblem(pt, row, col, r));
          return null;
        }
        return r.value;
      };
      const eif = date('entry_into_force');
      const wEff = date('withdrawal_effective');
      const wNot = date('withdrawal_notified');
      const dep = date('instrument_deposit_date');
      date('signature_date');
      if (eif === null || wEff === null || wNot === null || dep === null) continue;
      if (dep && eif && eif < dep) problems.push(atCell(pt, row, 'entry_into_force', 'date-order', `entry into force ${eif} is before the deposit of the instrument ${dep}`));
      if (wNot && wEff && wEff < wNot) problems.push(atCell(pt, row, 'withdrawal_effective', 'date-order', `withdrawal effective ${wEff} is before its notification ${wNot}`));
      if (wEff && !eif) problems.push(atCell(pt, row, 'withdrawal_effective', 'date-order', 'a withdrawal without an entry into force'));
      if (wEff && eif && wEff <= eif) problems.push(atCell(pt, row, 'withdrawal_effective', 'date-order', `withdrawal effective ${wEff} is not after entry into force ${eif}`));
      // The latest status column (status_2026_02_03 after status_2025_…).
      const statusCol = pt.header.filter((h) => /^status/.test(h)).sort().pop();
      const status = statusCol ? (row.text(statusCol) ?? '').trim() : undefined;
      if (status !== undefined) {
        if (!['party', 'signatory', 'withdrawn'].includes(status)) problems.push(atCell(pt, row, statusCol!, 'value-invalid', `status "${status}" is not party, signatory or withdrawn`));
        else if (status === 'party' && !eif) problems.push(atCell(pt, row, 'entry_into_force', 'value-missing', `${iso3} is a party but has no entry into force`, 'write the date the Convention entered into force for it (Art. 17)'));
        else if (status === 'signatory' && eif) problems.push(atCell(pt, row, statusCol!, 'value-invalid', `${iso3} is a signatory but has an entry into force (${eif})`, 'a State with an entry into force is a party (or withdrawn): correct the status or the date'));
        else if (status === 'withdrawn' && !wEff) problems.push(atCell(pt, row, 'withdrawal_effective', 'value-missing', `${iso3} has withdrawn but has no withdrawal date`, 'write the date the withdrawal took effect (Art. 20)'));
      }
      // Reported only under a policy with entry_into_force: first-of-month (runYear), not for every treaty.
      if (eif && !eif.endsWith('-01'))
        notFirstOfMonth.push({ ...atCell(pt, row, 'entry_into_force', 'value-invalid', `entry into force ${eif} is not the first day of a month`, 'the policy says entry_into_force: first-of-month (CCM Art. 17: the first day of the sixth month after the month of deposit); months bound count from the first of the month'), severity: 'warning' });
      parties.push({
        iso3,
        name: row.text('participant')?.trim() || iso3,
        ...(eif ? { entryIntoForce: eif } : {}),
        ...(wEff ? { withdrawalEffective: wEff } : {}),
      });
    }
  }

  if (pt && !parties.some((p) => p.entryIntoForce))
    problems.push(problem('value-missing', 'no State Party: no row has an entry into force', { file: pt.file, line: 1, column: 1, excerpt: pt.lines[0] ?? '', width: (pt.lines[0] ?? '').length || 1, hint: 'parties.csv lists the States Parties with the date the Convention entered into force for each' }));

  // scale.csv
  const scale: ScaleTable = { columns: [], rates: new Map() };
  const st = table(reader, BOOK_FILES.scale, { required: ['iso3'], optional: ['member_state'], pattern: /^rate_[a-z0-9_]+$/ }, problems);
  if (st) {
    scale.columns = st.header.filter((h) => /^rate_[a-z0-9_]+$/.test(h));
    if (scale.columns.length === 0) problems.push(problem('column-missing', 'no rate column (rate_…)', { file: st.file, line: 1, column: 1, excerpt: st.lines[0] ?? '', width: (st.lines[0] ?? '').length, hint: 'name rate columns like rate_2025_2027_pct (percent)' }));
    const seen = new KeySet();
    const sums = new Map<string, Decimal>();
    for (const row of st.rows) {
      const iso3 = known(st, row, 'iso3');
      if (!iso3 || dup(st, row, 'iso3', seen, iso3)) continue;
      const rates = new Map<string, Decimal>();
      for (const col of scale.columns) {
        const text = row.text(col) ?? '';
        if (text.trim() === '') {
          problems.push(atCell(st, row, col, 'value-missing', `no rate for ${iso3} in ${col}`, 'every State listed in scale.csv needs a rate in each period; a State with no UN rate is left out of scale.csv (the policy gives it a notional rate)'));
          continue;
        }
        const r = parseAmount(text);
        if (!r.ok) {
          problems.push(cellProblem(st, row, col, r.code === 'amount-negative' ? { ...r, message: `${r.message}: a scale rate cannot be negative`, hint: 'UN rates are percentages of at least 0.001' } : r));
          continue;
        }
        if (r.value.isZero()) {
          problems.push(atCell(st, row, col, 'amount-invalid', `a rate of ${text.trim()} would make ${iso3} pay nothing by the scale`, 'UN rates are percentages of at least 0.001'));
          continue;
        }
        rates.set(col, r.value);
        sums.set(col, (sums.get(col) ?? D('0')).plus(r.value));
      }
      scale.rates.set(iso3, rates);
    }
    for (const [col, s] of sums) {
      // Below 100 is normal for a treaty whose parties are not all the UN members (scale.csv may
      // hold only their rates); a State missing by mistake is a rate-unrated error where it counts.
      // Above 100, no UN scale: a rate is mistyped.
      if (s.gt(100)) {
        const c = st.headerCells[st.header.indexOf(col)]!;
        problems.push(problem('scale-sum', `column "${col}" sums to ${s.toFixed()}, more than 100`, { severity: 'warning', file: st.file, line: c.line, column: c.column, excerpt: st.lines[c.line - 1] ?? '', width: c.width, field: col, hint: 'a UN scale sums to 100 at most: check for a mistyped rate (the adjusted scale renormalises anyway)' }));
      }
    }
  }

  // ldc.csv
  const ldc = new Set<string>();
  const lt = table(reader, BOOK_FILES.ldc, { required: ['iso3'], optional: ['name'] }, problems);
  if (lt) {
    const seen = new KeySet();
    for (const row of lt.rows) {
      const iso3 = known(lt, row, 'iso3');
      if (iso3 && !dup(lt, row, 'iso3', seen, iso3)) ldc.add(iso3);
    }
  }

  // budgets.csv
  const budgets: BudgetRecord[] = [];
  const budgetRows = new Map<number, CsvTable['rows'][number]>();
  const bt = table(reader, BOOK_FILES.budgets, { required: ['year', 'amount', 'currency'], optional: ['policy', 'note'] }, problems);
  if (bt) {
    const seen = new KeySet();
    for (const row of bt.rows) {
      // A budget adopted for a biennium or triennium: "2026-2027" (consecutive years, at most three).
      const range = /^\s*(\d{4})\s*-\s*(\d{4})\s*$/.exec(row.text('year') ?? '');
      const y = parseYear(range ? range[1]! : (row.text('year') ?? ''));
      if (!y.ok) {
        problems.push(cellProblem(bt, row, 'year', y));
        continue;
      }
      const last = range ? Number(range[2]) : y.value;
      if (range && (last <= y.value || last - y.value > 2)) {
        problems.push(atCell(bt, row, 'year', 'year-invalid', `"${(row.text('year') ?? '').trim()}" is not a biennium or triennium`, 'write one year (2026), or the first and last year of a budget adopted for two or three years (2026-2027, 2026-2028)'));
        continue;
      }
      const years = Array.from({ length: last - y.value + 1 }, (_, i) => y.value + i);
      if (years.some((yr) => dup(bt, row, 'year', seen, String(yr)))) continue;
      const a = parseAmount(row.text('amount') ?? '', { money: true });
      if (!a.ok) {
        problems.push(cellProblem(bt, row, 'amount', a));
        continue;
      }
      if (a.value.isZero()) {
        problems.push(atCell(bt, row, 'amount', 'amount-invalid', 'the budget is zero', 'write the adopted budget of the year'));
        continue;
      }
      const cur = (row.text('currency') ?? '').trim();
      if (!/^[A-Z]{3}$/.test(cur)) {
        problems.push(atCell(bt, row, 'currency', 'value-invalid', `"${cur}" is not an ISO 4217 currency code`, 'write e.g. CHF'));
        continue;
      }
      const pol = (row.text('policy') ?? '').trim() || DEFAULT_POLICY;
      if (path.isAbsolute(pol) || pol.split(/[\\/]/).includes('..')) {
        problems.push(atCell(bt, row, 'policy', 'value-invalid', `policy "${pol}" must be a path inside the books directory`, 'e.g. policy.yaml or policies/article14.yaml'));
        continue;
      }
      for (const yr of years) {
        // Each year's share in centimes here; runYear shares it again in the policy's rounding unit.
        const amount = range ? periodShare(a.value, y.value, last, yr, D('0.01')) : a.value;
        if (!amount) {
          problems.push(atCell(bt, row, 'amount', 'amount-invalid', 'a budget has at most two decimals', 'write the amount in CHF and centimes'));
          break;
        }
        budgets.push({ year: yr, amount, currency: cur, policy: pol, note: (row.text('note') ?? '').trim(), ...(range ? { period: { from: y.value, to: last, total: a.value } } : {}) });
        budgetRows.set(yr, row);
      }
    }
    budgets.sort((x, z) => x.year - z.year);
  }

  if (!states || !pt || !st || !lt || !bt) return { problems };
  const budgetCell = (year: number, column: string) => {
    const row = budgetRows.get(year);
    const c = row?.cell(column);
    return { file: bt.file, line: c?.line ?? row?.line ?? 1, column: c?.column ?? 1, excerpt: bt.lines[(c?.line ?? row?.line ?? 1) - 1] ?? '', width: c?.width ?? 1, field: column };
  };
  return { books: { dir, ref: { states, parties, scale, ldc }, budgets, budgetCell, notFirstOfMonth, files: reader.list() }, problems };
}

/**
 * The keys seen so far in a file, to report a duplicate with the line of its first use.
 * Keys that arrive in strictly increasing order (payment ids usually do) are distinct by
 * that alone, so no hash table is built until the order breaks: a million payment ids are
 * checked by one comparison each.
 */
export class KeySet {
  private readonly keys: string[] = [];
  private readonly lines: number[] = [];
  private last: string | undefined;
  private table: Map<string, number> | undefined;

  /**
   * @param recall with it, keys in increasing order are not even kept: should the order
   *   break on line N, `recall(N)` gives the keys of the lines before N again (from the text).
   */
  constructor(private readonly recall?: (before: number) => Iterable<[string, number]>) {}

  /** The line on which `key` was first seen; undefined (and recorded on `line`) if never. */
  firstLine(key: string, line: number): number | undefined {
    if (!this.table) {
      if (this.last === undefined || key > this.last) {
        this.last = key;
        if (!this.recall) {
          this.keys.push(key);
          this.lines.push(line);
        }
        return undefined;
      }
      this.table = new Map();
      const earlier: Iterable<[string, number]> = this.recall ? this.recall(line) : this.keys.map((k, i): [string, number] => [k, this.lines[i]!]);
      for (const [k, l] of earlier) if (!this.table.has(k)) this.table.set(k, l);
      this.keys.length = 0;
      this.lines.length = 0;
    }
    const first = this.table.get(key);
    if (first === undefined) this.table.set(key, line);
    return first;
  }
}

/** True (and a problem) if `key` was seen on an earlier row of the file. */
export function isDuplicate(t: CsvTable, row: CsvTable['rows'][number], col: string, seen: KeySet, key: string, problems: Problem[]): boolean {
  const first = seen.firstLine(key, row.line);
  if (first !== undefined) {
    problems.push(atCell(t, row, col, 'row-duplicate', `${key} is listed twice (first on line ${first})`, 'keep one row per key'));
    return true;
  }
  return false;
}

function loadStates(t: CsvTable | undefined, problems: Problem[]): Map<string, StateInfo> | undefined {
  if (!t) return undefined;
  const out = new Map<string, StateInfo>();
  const seen = new KeySet();
  for (const row of t.rows) {
    const r = parseIso3(row.text('iso3') ?? '');
    if (!r.ok) {
      problems.push(cellProblem(t, row, 'iso3', r));
      continue;
    }
    if (isDuplicate(t, row, 'iso3', seen, r.value, problems)) continue;
    const text = (c: string) => (row.text(c) ?? '').trim();
    for (const c of ['name_en', 'name_fr', 'name_es']) {
      if (text(c) === '') {
        problems.push(atCell(t, row, c, 'value-missing', `no ${c} for ${r.value}`, 'every State needs its name in English, French and Spanish'));
      }
    }
    for (const c of ['name_en', 'name_fr', 'name_es']) {
      if (CONTROL.test(row.text(c) ?? '')) {
        problems.push(atCell(t, row, c, 'value-invalid', `the ${c} of ${r.value} contains a line break or another control character`, 'a name is one line of text'));
      }
    }
    const lang = text('language');
    if (!(LANGUAGES as readonly string[]).includes(lang)) {
      problems.push(atCell(t, row, 'language', 'value-invalid', `"${lang}" is not a language finproc writes`, `one of ${LANGUAGES.join(', ')} (lower case)`));
    }
    // Registered even when a cell is wrong, so that other files do not report it as unknown.
    out.set(r.value, { iso3: r.value, nameEn: text('name_en'), nameFr: text('name_fr'), nameEs: text('name_es'), language: lang });
  }
  return out;
}

/** The policy of a year: --policy FILE, else the budget row's policy, read and located. */
export function loadPolicy(reader: FileReader, file: string, problems: Problem[]): PolicyFile | undefined {
  const f = reader.read(file, problems);
  if (!f) return undefined;
  const p = readPolicy(f.display, f.text);
  problems.push(...p.problems);
  return p;
}
