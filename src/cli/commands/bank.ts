/**
 * `finproc bank import FILE…`: bank statements in (docs/bank.md). camt.053 / camt.054 / MT940
 * files (or ZIPs of them, or a completed bank-review.csv) → a proposal: every transaction,
 * the State and invoice it matched, how, with what confidence, and what --apply would do.
 * Nothing is written without --apply.
 */
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import type { Cli } from '../context.js';
import { UsageError } from '../args.js';
import type { CsvDialect } from '../../render/csv.js';

export function register(program: Command, cli: Cli): void {
  const bank = program.command('bank').summary('bank statements in: camt.053/054, MT940 → payments').description('Bank statements in. See docs/bank.md.');
  bank
    .command('import')
    .summary('match camt.053/camt.054/MT940 credits to invoices; --apply books them')
    .description(
      'Read bank files (ISO 20022 camt.053 and camt.054, versions .001.02 to .001.08, SWIFT MT940, or a ZIP of them: a README, PDF or other file plainly not a statement in it is left out, with a warning) and propose, for every credit, the State and invoice it pays and how it was matched (RF or QR reference, invoice number in the text, State name and amount, unique amount) with a confidence. Nothing is written without --apply; with it, the payments are appended to payments.csv with their provenance (file SHA-256, bank reference, entry and transaction), and the unmatched or doubtful ones go to bank-review.csv, which the officer completes (iso3 and invoice, or "not a contribution") and imports again with this command. Importing a file twice adds nothing. Rules: docs/bank.md.',
    )
    .argument('<files...>', 'bank files (.xml, .mt940/.sta, .zip) or a completed bank-review.csv')
    .option('--apply', 'write: append the payments to payments.csv and the entries to review to bank-review.csv')
    .addOption(cli.booksOpt())
    .addOption(cli.waitOpt())
    .addOption(new Option('--format <format>', 'output format of the proposal (default: table, or from the --out file extension)').choices(['table', 'csv', 'json']))
    .addOption(new Option('--csv-dialect <dialect>', 'CSV dialect of the proposal (--format csv) and of a new bank-review.csv: rfc4180 (","), or excel (";", BOM, CRLF: opens in columns, accents right, in a Swiss or French Excel); a bank-review.csv that exists keeps its own').choices(['rfc4180', 'excel']).default('rfc4180'))
    .option('--out <path>', 'write the proposal to a file, its format from its extension (.txt, .csv, .json), or to a directory, every format (a path without an extension)')
    .option('--timings', 'also print to stderr where the time went, phase by phase (start-up, the books, reading the files, matching, writing, printing): for a large import')
    .addHelpText(
      'after',
      `
Examples (data/bank/camt054-2026-09-15.xml pays invoices the example books leave open):
  finproc bank import data/bank/camt054-2026-09-15.xml                the proposal; nothing is written
  finproc bank import data/bank/camt054-2026-09-15.xml --format json --out proposal.json
  cp -r data my-books && finproc bank import data/bank/camt054-2026-09-15.xml --books my-books --apply
                                                                      books it: payments.csv and bank-review.csv in my-books

Also: several files at once (camt054-*.xml), a ZIP from the e-banking (bank-2026-03.zip), and,
after completing the review, the review file itself (finproc bank import bank-review.csv --apply).`,
    )
    .action(async (files: string[], o: { apply?: boolean; books: string; format?: string; csvDialect: CsvDialect; out?: string; wait?: number; timings?: boolean }) => {
      const [{ importBank }, { BANK_FILE_MAX }, { progress }, { Laps }] = await Promise.all([import('../../io/bank-job.js'), import('../../io/bankfile.js'), import('../progress.js'), import('../../io/laps.js')]);
      const laps = o.timings ? new Laps() : undefined;
      const dir = cli.booksDir(o.books);
      const inputs = files.map((f) => {
        const abs = path.resolve(cli.io.cwd, f);
        try {
          const st = statSync(abs);
          if (st.isDirectory()) throw new UsageError(`${f}: a directory; give the bank files themselves`);
          if (!st.isFile()) throw new UsageError(`${f}: not a regular file (a device or a pipe); give the file from the e-banking itself`);
          if (st.size > BANK_FILE_MAX) throw new UsageError(`${f}: ${Math.ceil(st.size / 2 ** 20)} MB, above the limit of ${BANK_FILE_MAX / 2 ** 20} MB for one bank file; import the statements in parts`);
          accessSync(abs, constants.R_OK);
        } catch (e) {
          if (e instanceof UsageError) throw e;
          throw new UsageError(`${f}: no such file or not readable`);
        }
        return { abs, display: cli.shown(abs) };
      });
      // The one place that reads the books, plans and (with --apply) writes them, atomically,
      // under the books lock: two imports at once never book a payment twice.
      const body = () => {
        // A bar on a terminal while a large file is read (thousands of entries: seconds).
        let bar = progress(cli.io.stderr, 0, '');
        const r = importBank({
          dir,
          cwd: cli.io.cwd,
          inputs,
          apply: !!o.apply,
          reviewExcel: o.csvDialect === 'excel',
          ...(laps ? { laps } : {}),
          ...(cli.io.stderr.isTTY ? { progress: { file: (name: string, entries: number) => (bar = progress(cli.io.stderr, entries, `entries of ${name}`, 5000)), read: (n: number) => bar.to(n), done: () => bar.stop() } } : {}),
        });
        if (r.errors) {
          // (the phases up to the error, before the errors: a slow import that fails is where they help most)
          if (laps) cli.io.stderr.write(`${laps.text()}  (stopped by the errors below)\n`);
          cli.fail(r.problems);
        }
        if (o.apply && r.writes.length) {
          cli.write(r.writes.map((w) => ({ ...w, book: true })));
          laps?.lap('writing the files');
        }
        // What was written is named in the output, not held through it (tens of MB for a large import).
        return { ...r, written: r.writes.map((w) => w.path), writes: [] };
      };
      const r = o.apply ? await cli.locked(dir, 'bank import --apply', o.wait, body) : body();
      cli.report(r.problems);
      const { bankCsvParts, bankJsonParts, bankTableParts } = await import('../../render/bank.js');
      const summary = { apply: !!o.apply, written: r.written.map((w) => cli.shown(w)) };
      await cli.emit(o, 'bank-import', (fmt) => (fmt === 'csv' ? bankCsvParts(r.proposal, o.csvDialect) : fmt === 'json' ? bankJsonParts(r.proposal, summary) : bankTableParts(r.proposal, summary, fmt === 'tty' ? { bold: cli.out.bold } : undefined)), { table: '.txt', csv: '.csv', json: '.json' });
      if (laps) {
        laps.lap('printing the proposal');
        cli.io.stderr.write(laps.text());
      }
    });
}
