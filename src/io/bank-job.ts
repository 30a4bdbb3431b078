/**
 * A bank import from start to end (docs/bank.md): read the books and the bank files, plan,
 * and (with `apply`) the new content of payments.csv and bank-review.csv, checked by the
 * ledger's own rules before anything is returned for writing.
 */
import path from 'node:path';
import { entryOf, ImportPlan, type BankEntry, type BankStatementStream, type Proposal } from '../core/bank.js';
import { isError, problem, type Problem } from '../core/problem.js';
import { FileReader } from './books.js';
import { appendPayments, bankContext, checkReview, loadBankBooks, paymentRow, readReview, REVIEW_FILE, reviewBookings, reviewRow, rowIdentity, sha256hex, wholeRow, writeReview } from './bank.js';
import { BankFileError, bankFileAt, isReviewText, openBankFile, type BankFileOnDisk } from './bankfile.js';
import { ledgerJob } from './job.js';
import type { Laps } from './laps.js';
import { LEDGER_FILES, loadLedger } from './ledger.js';

export interface BankInput {
  /** The file, read from here by the reader (a large statement in windows, never whole). */
  abs: string;
  display: string;
}

export interface BankImport {
  proposal: Proposal;
  problems: Problem[];
  errors: boolean;
  writes: { path: string; content: string }[];
}

/** A FileReader that sees some files with other content (the books as they would be written). */
class Overlay extends FileReader {
  constructor(
    dir: string,
    cwd: string,
    private readonly files2: Map<string, string>,
  ) {
    super(dir, cwd);
  }
  override read(abs: string, problems: Problem[]) {
    const t = this.files2.get(abs);
    return t === undefined ? super.read(abs, problems) : { text: t.replace(/^\uFEFF/, ''), display: this.display(abs) };
  }
  override exists(abs: string): boolean {
    return this.files2.has(abs) || super.exists(abs);
  }
}

/** A completed bank-review.csv, told by its header in the first 400 bytes. */
const isReviewCsv = (file: BankFileOnDisk) => {
  const bytes = new Uint8Array(Math.min(400, file.size));
  return isReviewText(new TextDecoder().decode(bytes.subarray(0, file.readAt(bytes, 0))).replace(/^\uFEFF/, ''));
};

/** Told the entries of each bank file as they are read (a progress bar on a terminal). */
export interface ImportProgress {
  /** A file opened: its name as shown and its entries, all statements together. */
  file(name: string, entries: number): void;
  /** Entries of that file read so far (every thousand or so, and at the end of each statement). */
  read(entries: number): void;
  /** That file read. */
  done(): void;
}

const READING = 'reading the bank files';

/** The statement with the iterator of its entries wrapped (each entry is still read once, as it is asked for). */
function wrapped(s: BankStatementStream, wrap: (it: Iterator<BankEntry>) => Iterator<BankEntry>): BankStatementStream {
  const entries = s.entries;
  return { ...s, entries: { [Symbol.iterator]: () => wrap(entries[Symbol.iterator]()) } };
}

/** The statement with the reading of its entries timed (--timings). */
const timed = (s: BankStatementStream, laps: Laps) =>
  wrapped(s, (it) => ({ next: () => laps.within(READING, () => it.next()), return: (value?: unknown) => it.return?.(value) ?? { done: true, value: undefined } }));

/** The statement with its entries counted to `progress` as they are read. */
function counted(s: BankStatementStream, progress: ImportProgress, before: number): BankStatementStream {
  return wrapped(s, (it) => {
    let k = before;
    return {
      next() {
        const r = it.next();
        if (r.done) progress.read(k);
        else if (++k % 1024 === 0) progress.read(k);
        return r;
      },
      return(value?: unknown) {
        progress.read(k);
        return it.return ? it.return(value) : { value: undefined, done: true };
      },
    };
  });
}

export function importBank(o: { dir: string; cwd: string; inputs: BankInput[]; apply: boolean; progress?: ImportProgress; /** A new bank-review.csv in Excel's dialect (";", BOM, CRLF). */ reviewExcel?: boolean; /** --timings */ laps?: Laps }): BankImport {
  const empty: Proposal = { lines: [], notes: [] };
  const laps = o.laps;
  const { books, ledger, reader, problems } = ledgerJob({ books: o.dir, cwd: o.cwd, need: ['assessments'] });
  if (!books || !ledger) return { proposal: empty, problems, errors: true, writes: [] };
  const ctx = bankContext(books, reader, ledger.ledger, problems);
  const bb = loadBankBooks(books, reader, problems);
  checkReview(bb.review, books, ctx, problems);
  laps?.lap('the books (their lock, ledger, bank-review.csv)');

  // Each file is read and planned one entry at a time (a statement of 100,000 entries is never
  // held as entries); the error of a damaged file stops its reading, and the other files are
  // still read for theirs. Nothing is proposed when any file has an error.
  const plan = new ImportPlan(ctx, bb.known, sha256hex, new Set(bb.ids));
  const reviews: ReturnType<typeof readReview>[] = [];
  for (const f of o.inputs) {
    const file = bankFileAt(f.abs);
    // (the books' own review file is one whatever its header: a header renamed is refused as
    // such, not also as a bank file that is none)
    const same = path.resolve(f.abs) === path.resolve(bb.review.path);
    if (same || isReviewCsv(file)) {
      const rv = same ? bb.review : readReview(reader, f.abs, problems);
      if (!same) checkReview(rv, books, ctx, problems, { known: bb.known, display: bb.review.display });
      reviews.push(rv);
      continue;
    }
    try {
      // The reader reads the file itself: a large camt file in windows, never whole; any
      // other file's bytes are let go once they are decoded.
      const statements = laps ? laps.within(READING, () => openBankFile(f.display, file)) : openBankFile(f.display, file);
      const p = o.progress;
      let read = 0;
      p?.file(f.display, statements.reduce((a, s) => a + (s.count ?? 0), 0));
      try {
        for (const opened of statements) {
          const c = p ? counted(opened, p, read) : opened;
          const s = laps ? timed(c, laps) : c;
          if (problems.some(isError)) for (const _ of s.entries); // read for its errors only
          else plan.statement(s);
          read += opened.count ?? 0;
        }
      } finally {
        p?.done();
      }
    } catch (e) {
      if (e instanceof BankFileError) problems.push(e.problem);
      else throw e;
    }
  }
  laps?.lap('deciding the entries (matching)');
  if (problems.some(isError)) return { proposal: empty, problems, errors: true, writes: [] };

  if (plan.conflicts.length > 0) {
    for (const c of plan.conflicts) problems.push(problem('bank-file', c.message, { file: c.statement, ...c.where, hint: c.hint }));
    return { proposal: empty, problems, errors: true, writes: [] };
  }
  const proposal = plan.finish();
  const ids = plan.takenIds;
  const fromReview = reviewBookings(reviews, ctx, bb.known, ids, proposal.lines);
  // (one by one: a spread of 120,000 rows or more overflows V8's stack)
  for (const l of fromReview) proposal.lines.push(l);
  laps?.lap('batches, reversals, payment ids');
  for (const n of proposal.notes) if (n.severity === 'warning') problems.push(problem(n.code ?? 'bank-balance', n.message, { file: n.statement, severity: 'warning', hint: n.hint ?? 'compare with the e-banking; import the missing files, or ask the bank' }));

  const writes: { path: string; content: string }[] = [];
  if (!o.apply) return { proposal, problems, errors: false, writes };

  // payments.csv: the payments to book, in date order then id.
  const book = proposal.lines.filter((l) => l.fate === 'book').sort((a, b) => (a.received < b.received ? -1 : a.received > b.received ? 1 : a.paymentId! < b.paymentId! ? -1 : 1));
  const pfile = path.join(books.dir, LEDGER_FILES.payments);
  if (book.length > 0) {
    // Each row made as it is written, not all of them first.
    const p = appendPayments(pfile, reader.display(pfile), (function* () { for (const l of book) yield paymentRow(l); })(), problems);
    if (!p) return { proposal, problems, errors: true, writes: [] };
    writes.push(p);
  }
  laps?.lap('payments.csv (its text)');
  // bank-review.csv: booked rows out, rows completed but booked already (or their entry) out,
  // an entry held whole out once its transactions are booked or listed for review, new
  // entries to review in.
  const drop = new Set<string>();
  const booked = bb.review.rows.length > 0 ? new Set([...book, ...fromReview].map((l) => l.key)) : new Set<string>();
  const whole = (r: (typeof bb.review.rows)[number]) => wholeRow(r.values);
  const bookedEntries = bb.review.rows.some(whole) ? new Set(proposal.lines.filter((l) => (l.fate === 'book' || l.fate === 'review' || l.fate === 'reversed') && !l.key.endsWith('|1')).map((l) => entryOf(l.key))) : new Set<string>();
  for (const r of bb.review.rows) {
    const k = rowIdentity(r.values);
    // (a whole row marked "not a contribution", by the officer or as a credit taken back, stays: it keeps its breakdown from being booked)
    if (booked.has(k) || (whole(r) && bb.known.review.get(k) !== 'dismissed' && bookedEntries.has(entryOf(k))) || (bb.known.payments.has(k) && r.values.decision === '')) drop.add(r.values.key!);
  }
  const have = new Set(bb.review.rows.map((r) => rowIdentity(r.values)));
  const add = function* () {
    for (const l of proposal.lines) if ((l.fate === 'review' || l.fate === 'await' || l.fate === 'reversed') && !have.has(l.key)) yield reviewRow(l);
  };
  const rv = writeReview(bb.review, drop, add(), { excel: o.reviewExcel === true });
  if (rv) writes.push(rv);
  laps?.lap('bank-review.csv (its text)');

  // The same ledger rules as every command: load the books as they would be written.
  if (writes.length > 0) {
    const overlay = new Overlay(books.dir, o.cwd, new Map(writes.map((w) => [w.path, w.content])));
    const after: Problem[] = [];
    loadLedger(books, overlay, after, { checkOnly: true });
    laps?.lap('the books as written, checked');
    const errs = after.filter(isError);
    if (errs.length > 0) return { proposal, problems: [...problems, ...errs.map((e) => ({ ...e, message: `after the import: ${e.message}` }))], errors: true, writes: [] };
  }
  return { proposal, problems, errors: false, writes };
}

export { REVIEW_FILE };
