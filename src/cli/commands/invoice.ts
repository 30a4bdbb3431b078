/**
 * `finproc invoice`: one invoice with its personalised note per State Party, in the State's
 * language, as HTML, Markdown or PDF, with an index and the register (docs/invoices.md).
 * Reads load → plan → render → write, under the lock on the books; the register is renamed into
 * place first, then the documents (see writeAtomically).
 */
import path from 'node:path';
import { Option, type Command } from 'commander';
import { centsToString } from '../../core/ledger.js';
import { isError } from '../../core/problem.js';
import type { RegisterRow } from '../../core/invoice.js';
import type { InvoiceJob } from '../../io/invoice-job.js';
import { LANGS, type Lang } from '../../render/i18n/types.js';
import type { DocumentContext, IndexEntry } from '../../render/invoice.js';
import type { CsvDialect } from '../../render/csv.js';
import { iso3Arg, UsageError, yearArg } from '../args.js';
import { pkg, type Cli } from '../context.js';
import { findChromium, openPdfRenderer, type PdfRenderer } from '../../io/pdf.js';
import { groupDigits } from '../../render/text.js';

export const FORMATS = ['html', 'md', 'pdf'] as const;
type Format = (typeof FORMATS)[number];

export function statesArg(v: string): string[] {
  const codes = v.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (codes.length === 0) throw new UsageError('--states: give ISO3 codes separated by commas, e.g. AUT,FRA');
  return [...new Set(codes.map((c) => iso3Arg(c.toUpperCase())))].sort();
}

export function formatsArg(v: string): Format[] {
  const fs = v.split(',').map((s) => s.trim());
  for (const f of fs) if (!(FORMATS as readonly string[]).includes(f)) throw new UsageError(`--format ${v}: expected html, md or pdf, or several separated by commas (e.g. html,pdf)`);
  return [...new Set(fs)] as Format[];
}

export function langArg(v: string): Lang | 'auto' {
  if (v === 'auto') return v;
  if ((LANGS as readonly string[]).includes(v)) return v as Lang;
  throw new UsageError(`--lang ${v}: expected auto, en, fr, es, ar, ru or zh`);
}

/** The context every document of a State shares. */
export function documentContext(job: Pick<InvoiceJob, 'issuer' | 'report' | 'books'>, mission: DocumentContext['mission'], lang: Lang): Omit<DocumentContext, 'qrSvg'> {
  const a = job.report.apportionment;
  const s = job.books.ref.states.get(mission.iso3);
  return {
    issuer: job.issuer,
    mission,
    lang,
    names: s ? { nameEn: s.nameEn, nameFr: s.nameFr, nameEs: s.nameEs } : undefined,
    rounding: { method: a.policy.rounding.method, unit: a.policy.rounding.unit.toFixed(a.policy.rounding.unit.decimalPlaces() || 0) },
    shares: new Map(a.categories.map((c) => [c.id, c.share ? c.share.toFixed() : null])),
    // Invoiced categories only: a voluntary category is not on the invoice, nor in its note.
    bases: new Map(a.categories.filter((c) => c.invoiced && c.basis !== 'voluntary').map((c) => [c.id, c.basis as 'equal' | 'scale' | 'fixed'])),
    version: pkg.version,
  };
}

/** The Chromium for --format pdf, or a usage error that says how to get one (never a download). */
export function chromiumFor(formats: readonly string[], env: NodeJS.ProcessEnv): string | undefined {
  if (!formats.includes('pdf')) return undefined;
  const c = findChromium(env);
  if ('missing' in c) throw new UsageError(`--format pdf: ${c.missing}`);
  return c.path;
}

/** The PDF printer, or a usage error that says why it cannot start (exit 2, nothing written). */
export async function startPdf(chromium: string): Promise<PdfRenderer> {
  try {
    return await openPdfRenderer(chromium);
  } catch (e) {
    throw new UsageError(`--format pdf: ${(e as Error).message.split('\n')[0]}; nothing was written`);
  }
}

export function register(program: Command, cli: Cli): void {
  program
    .command('invoice')
    .summary("each State's invoice and note, in its language")
    .description(
      "Issue the year's invoices: one per State Party (or per --states), in its language, with its contributions by category, arrears of earlier years, payments and credits already applied, the total due, payment instructions with an ISO 11649 creditor reference (RF…), a Swiss QR-bill where missions.csv asks for one, and a personalised note built from the same trace as `finproc explain`. Writes one file per State and format (ISO3-NUMBER.html|md|pdf), index.html and register-YYYY.csv under --out, and records every new invoice in invoices.csv in the books. Running it again with the same books gives the same numbers and the same bytes; an invoice whose amounts have changed is only issued again with --reissue (a credit note cancels the old one). Rules: docs/invoices.md.",
    )
    .requiredOption('--year <yyyy>', 'budget year (its assessments must be recorded: finproc apportion --record)', yearArg)
    .addOption(cli.booksOpt())
    .addOption(cli.dateOpt('--issue-date', 'date of the invoices (default: the date the assessments were recorded, or that of the register); arrears and payments are counted as of this date'))
    .option('--states <iso3,...>', 'only these States (e.g. AUT,FRA,SEN)', statesArg)
    .addOption(new Option('--lang <lang>', "language: auto (each State's language in states.csv), en, fr, es, ar, ru or zh").default('auto').argParser(langArg))
    .addOption(new Option('--format <formats>', 'html, md or pdf, or several: html,md,pdf (pdf needs Debian chromium)').default(['html'], 'html').argParser(formatsArg))
    .option('--out <dir>', 'directory for the documents, index and register (default: invoices-YYYY)')
    .option('--reissue', 'issue again the invoices whose amounts have changed: a credit note cancels each old one and a new number is given')
    .option('--preview', 'write the documents but record nothing in invoices.csv (to check them before issuing)')
    .addOption(new Option('--csv-dialect <dialect>', 'CSV dialect of register-YYYY.csv').choices(['rfc4180', 'excel']).default('rfc4180'))
    .addOption(cli.waitOpt())
    .addHelpText(
      'after',
      `
Examples:
  finproc invoice --year 2026 --preview                   every State, in its language, HTML in invoices-2026/, nothing recorded
  finproc invoice --year 2026                             the same, issued: recorded in invoices.csv
  finproc invoice --year 2026 --states AUT,SEN --format html,md,pdf --out letters
  finproc invoice --year 2026 --states MEX --lang es --issue-date 2026-07-01 --reissue

Books: isu.yaml (issuer, bank account: IBAN and BIC are validated), missions.csv (one postal
address per State; qr_bill=yes adds a Swiss QR-bill), invoices.csv (the register; written).`,
    )
    .action(async (o: { year: number; books: string; issueDate?: string; states?: string[]; lang: Lang | 'auto'; format: Format[]; out?: string; reissue?: boolean; preview?: boolean; csvDialect: CsvDialect; wait?: number }) => {
      const dir = cli.booksDir(o.books);
      const out = path.resolve(cli.io.cwd, o.out ?? `invoices-${o.year}`);
      // PDF needs a browser: say so before any work, never download one.
      const chromium = chromiumFor(o.format, cli.io.env);
      // Loaded here, not at start-up: the catalogues, country names, QR-bill and IBAN libraries
      // are needed by this command only (every command starts faster for it).
      const [{ invoiceJob }, { appendRegister }, { countryName }, { documentFile, indexHtml, invoiceHtml, invoiceMarkdown, registerCsv }, { qrBillSvg }, { progress }] = await Promise.all([
        import('../../io/invoice-job.js'),
        import('../../io/invoice.js'),
        import('../../render/i18n/index.js'),
        import('../../render/invoice.js'),
        import('../../render/qrbill.js'),
        import('../progress.js'),
      ]);
      // The register is read, numbers allocated and the files written under the lock on the books.
      await cli.locked(dir, `invoice --year ${o.year}${o.reissue ? ' --reissue' : ''}${o.preview ? ' --preview' : ''}`, o.wait, async () => {
      const { job, problems } = invoiceJob({ books: dir, cwd: cli.io.cwd, year: o.year, ...(o.issueDate ? { issueDate: o.issueDate } : {}), ...(o.states ? { states: o.states } : {}), lang: o.lang, reissue: !!o.reissue });
      if (!job) cli.fail(problems);
      cli.report(problems);
      const j = job!;
      const files: { path: string; content: string | Uint8Array; book?: boolean }[] = [];
      const entries: IndexEntry[] = [];
      const bar = progress(cli.io.stderr, j.documents.length, 'invoices');
      const pdf = chromium ? await startPdf(chromium) : undefined;
      try {
        for (const d of j.documents) {
          const inv = d.invoice;
          try {
            const base = documentContext(j, d.mission, d.lang);
            const wantsQr = inv.kind === 'invoice' && d.mission.qrBill && inv.total > 0n;
            const ctx: DocumentContext = wantsQr ? { ...base, qrSvg: qrBillSvg({ amount: centsToString(inv.total), reference: inv.reference, issuer: j.issuer, mission: d.mission, lang: d.lang, message: inv.number }) } : base;
            const names: string[] = [];
            const html = invoiceHtml(inv, d.explanation, ctx);
            for (const f of o.format) {
              const name = documentFile(inv.iso3, inv.number, f);
              names.push(name);
              files.push({ path: path.join(out, name), content: f === 'html' ? html : f === 'md' ? invoiceMarkdown(inv, d.explanation, ctx) : await pdf!.render(html) });
            }
            entries.push({ invoice: inv, lang: d.lang, name: countryName(inv.iso3, 'en', base.names), files: names });
          } catch (e) {
            throw e instanceof UsageError ? e : new UsageError(`${inv.iso3} (${inv.number}): ${(e as Error).message}; nothing was written`);
          }
          bar.tick();
        }
      } finally {
        bar.stop();
        await pdf?.close();
      }
      const regFile = j.reader.display(path.join(dir, 'invoices.csv'));
      const regProblems: typeof problems = [];
      const reg = j.plan.append.length > 0 && !o.preview ? appendRegister(dir, j.plan.append, regProblems, regFile) : undefined;
      if (regProblems.some(isError)) cli.fail(regProblems);
      const yearRows: RegisterRow[] = [...j.register, ...j.plan.append].filter((r) => r.year === o.year);
      files.push({ path: path.join(out, 'index.html'), content: indexHtml(o.year, entries, pkg.version) });
      files.push({ path: path.join(out, `register-${o.year}.csv`), content: registerCsv(yearRows, o.csvDialect) });
      const { invoiceEntry, manifestFile } = await import('../../render/manifest.js'); // what finproc send reads (docs/send.md)
      files.push(manifestFile(out, 'invoice', !!o.preview, `finproc ${pkg.version}`, entries.map((e) => invoiceEntry(e.invoice, e.lang, e.files, files))));
      // The register first: a run killed between two renames never leaves a document without its row.
      if (reg) files.unshift({ ...reg, book: true });
      cli.write(files);
      if (cli.io.stdout.isTTY) {
        const fresh = j.plan.append.filter((r) => r.kind === 'invoice');
        const notes = j.plan.append.filter((r) => r.kind === 'credit-note');
        const total = j.documents.filter((d) => d.invoice.kind === 'invoice').reduce((s, d) => s + d.invoice.total, 0n);
        cli.say(
          `${j.documents.length} documents for ${o.year} in ${cli.shown(out)}/ (${o.format.join(', ')}), total due CHF ${groupDigits(centsToString(total))}.\n` +
            (o.preview ? `Preview: nothing recorded in ${regFile} (${fresh.length} new invoices${notes.length ? `, ${notes.length} credit notes` : ''} would be).\n` : fresh.length || notes.length ? `Recorded in ${regFile}: ${fresh.length} new invoices${notes.length ? `, ${notes.length} credit notes` : ''}.\n` : `All were already in ${regFile} with the same amounts: nothing new recorded.\n`),
        );
      }
      });
    });
}
