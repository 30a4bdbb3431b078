/**
 * `finproc acknowledge`: a note verbale acknowledging each payment received (contributions to
 * the ISU budget and meeting costs), in the State's language: the amount and date received,
 * the invoices it settled, what was kept as credit, and what remains outstanding as of that day
 * (docs/invoices.md, "Acknowledgements of payment"). Same books, same bytes; nothing in the
 * books is changed.
 */
import path from 'node:path';
import { Option, type Command } from 'commander';
import { centsToString, eventsByState, NO_EVENTS } from '../../core/ledger.js';
import { isError, problem } from '../../core/problem.js';
import type { Acknowledgement } from '../../core/acknowledgement.js';
import { ledgerJob } from '../../io/job.js';
import type { Lang } from '../../render/i18n/types.js';
import type { LetterContext } from '../../render/invoice.js';
import type { CsvDialect } from '../../render/csv.js';
import { UsageError } from '../args.js';
import { pkg, type Cli } from '../context.js';
import { chromiumFor, FORMATS, formatsArg, langArg, startPdf, statesArg } from './invoice.js';

type Format = (typeof FORMATS)[number];

function idsArg(v: string): string[] {
  const ids = v.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (ids.length === 0) throw new UsageError('--payment: give payment ids separated by commas, e.g. PAY-2026-00012');
  for (const id of ids) if (!/^[A-Za-z0-9][A-Za-z0-9-]{0,40}$/.test(id)) throw new UsageError(`--payment ${id}: a payment id is letters, digits and "-"`);
  return [...new Set(ids)];
}

export function register(program: Command, cli: Cli): void {
  program
    .command('acknowledge')
    .summary('notes verbales acknowledging payments received')
    .description(
      "Write a note verbale acknowledging each payment received (--payment, or every payment received between --from and --to), in the State's language: the amount and date, the invoices it settled, any credit kept, and what remains outstanding as of that day. Writes ISO3-ack-PAYMENT.html|md|pdf, index.html, acknowledgements.csv (the list of documents) and manifest.json (what finproc send reads) under --out. Nothing in the books is changed.",
    )
    .addOption(cli.booksOpt())
    .option('--payment <ids>', 'these payments (payment_id in payments.csv), separated by commas', idsArg)
    .addOption(cli.dateOpt('--from', 'payments received on or after this date'))
    .addOption(cli.dateOpt('--to', 'payments received on or before this date'))
    .option('--states <iso3,...>', 'only these States', statesArg)
    .addOption(new Option('--lang <lang>', "language: auto (each State's language in states.csv), en, fr, es, ar, ru or zh").default('auto').argParser(langArg))
    .addOption(new Option('--format <formats>', 'html, md or pdf, or several: html,pdf').default(['html'], 'html').argParser(formatsArg))
    .option('--out <dir>', 'directory for the letters (default: acknowledgements-DATE, the --to date or the latest payment)')
    .addOption(new Option('--csv-dialect <dialect>', 'CSV dialect of acknowledgements.csv').choices(['rfc4180', 'excel']).default('rfc4180'))
    .addHelpText('after', '\nExamples:\n  finproc acknowledge --payment PAY-2026-00012\n  finproc acknowledge --from 2026-08-01 --to 2026-08-31 --format html,pdf --out acks-2026-08')
    .action(async (o: { books: string; payment?: string[]; from?: string; to?: string; states?: string[]; lang: Lang | 'auto'; format: Format[]; out?: string; csvDialect: CsvDialect }) => {
      if (!o.payment && !o.from && !o.to) throw new UsageError('give --payment IDS, or --from and/or --to DATE: which payments to acknowledge');
      if (o.from && o.to && o.from > o.to) throw new UsageError(`--from ${o.from} is after --to ${o.to}`);
      const dir = cli.booksDir(o.books);
      const chromium = chromiumFor(o.format, cli.io.env);
      const [{ loadInvoiceBooks }, { acknowledgementFor }, { countryName }, { acknowledgementFile, acknowledgementHtml, acknowledgementMarkdown, acknowledgementsCsv, escapeHtml }, { formatAmount }, { progress }] = await Promise.all([
        import('../../io/invoice-job.js'),
        import('../../core/acknowledgement.js'),
        import('../../render/i18n/index.js'),
        import('../../render/invoice.js'),
        import('../../render/number.js'),
        import('../progress.js'),
      ]);
      const { books, ledger, reader, problems } = ledgerJob({ books: dir, cwd: cli.io.cwd, need: ['assessments'] });
      if (!books || !ledger) cli.fail(problems);
      const { issuer, missions } = loadInvoiceBooks(books!, reader, problems);
      if (!issuer || !missions || problems.some(isError)) cli.fail(problems);
      for (const s of o.states ?? []) if (!books!.ref.states.has(s)) throw new UsageError(`--states: ${s} is not in states.csv`);
      const assessed = ledger!.ledger.payments.filter((p) => p.purpose === 'isu' || p.purpose === 'meeting');
      for (const id of o.payment ?? []) {
        const p = ledger!.ledger.payments.find((x) => x.id === id);
        if (!p) throw new UsageError(`--payment ${id}: no such payment in payments.csv`);
        if (p.purpose !== 'isu' && p.purpose !== 'meeting') throw new UsageError(`--payment ${id} is a ${p.purpose} contribution: acknowledge only payments of assessed contributions (isu, meeting)`);
      }
      const chosen = assessed.filter((p) => (!o.payment || o.payment.includes(p.id)) && (!o.from || p.received >= o.from) && (!o.to || p.received <= o.to) && (!o.states || o.states.includes(p.iso3)));
      const events = eventsByState(ledger!.ledger);
      const acks: { ack: Acknowledgement; lang: Lang }[] = [];
      for (const p of [...chosen].sort((a, b) => (a.received < b.received ? -1 : a.received > b.received ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
        if (!missions!.has(p.iso3)) {
          problems.push(problem('value-missing', `${p.iso3} paid ${centsToString(p.chf)} (${p.id}) but has no address in missions.csv`, { file: reader.display(path.join(dir, 'missions.csv')), hint: 'add a row: iso3,mission,street,building,postcode,town,country,email,qr_bill' }));
          continue;
        }
        const ack = acknowledgementFor(p.iso3, events.get(p.iso3) ?? NO_EVENTS, p.id);
        if (!ack) continue;
        const lang: Lang = o.lang === 'auto' ? ((books!.ref.states.get(p.iso3)?.language as Lang | undefined) ?? 'en') : o.lang;
        acks.push({ ack, lang });
      }
      if (problems.some(isError)) cli.fail(problems);
      cli.report(problems);
      if (acks.length === 0) {
        // Nothing to acknowledge is said, and nothing is written (an empty list would read as done).
        const what = [o.payment ? `payment ${o.payment.join(', ')}` : '', o.from || o.to ? `received ${o.from ? `from ${o.from} ` : ''}${o.to ? `to ${o.to}` : ''}`.trim() : '', o.states ? `of ${o.states.join(', ')}` : ''].filter(Boolean).join(', ');
        cli.io.stderr.write(cli.err.yellow(`warning: no payment of an assessed contribution (isu, meeting) ${what || 'in the books'}: nothing to acknowledge, nothing written`) + '\n');
        return;
      }
      const last = o.to ?? chosen.reduce((d, p) => (p.received > d ? p.received : d), '0000-00-00');
      const out = path.resolve(cli.io.cwd, o.out ?? `acknowledgements-${last}`);
      const files: { path: string; content: string | Uint8Array }[] = [];
      const listed: { ack: Acknowledgement; lang: Lang; file: string; names: string[] }[] = [];
      const bar = progress(cli.io.stderr, acks.length, 'acknowledgements');
      const pdf = chromium && acks.length ? await startPdf(chromium) : undefined;
      try {
        for (const { ack, lang } of acks) {
          const s = books!.ref.states.get(ack.iso3);
          const ctx: LetterContext = { issuer: issuer!, mission: missions!.get(ack.iso3)!, lang, names: s ? { nameEn: s.nameEn, nameFr: s.nameFr, nameEs: s.nameEs } : undefined, version: pkg.version };
          const html = acknowledgementHtml(ack, ctx);
          const names: string[] = [];
          for (const f of o.format) {
            const name = acknowledgementFile(ack, f);
            names.push(name);
            files.push({ path: path.join(out, name), content: f === 'html' ? html : f === 'md' ? acknowledgementMarkdown(ack, ctx) : await pdf!.render(html) });
          }
          listed.push({ ack, lang, file: names[0]!, names });
          bar.tick();
        }
      } finally {
        bar.stop();
        await pdf?.close();
      }
      const total = acks.reduce((t, a) => t + a.ack.payment.chf, 0n);
      const rows = listed
        .map((x) => `<tr><td>${escapeHtml(x.ack.iso3)}</td><td>${escapeHtml(countryName(x.ack.iso3, 'en', books!.ref.states.get(x.ack.iso3)))}</td><td>${escapeHtml(x.ack.payment.id)}</td><td>${x.ack.payment.received}</td><td>${x.lang}</td><td class="num">${formatAmount(centsToString(x.ack.payment.chf), 'swiss')}</td><td><a href="${escapeHtml(encodeURI(x.file))}">${escapeHtml(x.file)}</a></td></tr>`)
        .join('\n');
      files.push({
        path: path.join(out, 'index.html'),
        content: `<!DOCTYPE html>\n<html lang="en" dir="ltr">\n<head>\n<meta charset="utf-8">\n<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">\n<title>Acknowledgements of payment</title>\n<style>body{font-family:"Noto Sans",sans-serif;font-size:10pt}table{border-collapse:collapse}td,th{padding:1mm 3mm;border-bottom:0.5pt solid #ccc;text-align:start}.num{text-align:end;white-space:nowrap;font-variant-numeric:tabular-nums}</style>\n</head>\n<body>\n<h1>Acknowledgements of payment</h1>\n<p>${listed.length} letters, CHF ${formatAmount(centsToString(total), 'swiss')} received.</p>\n<table><thead><tr><th>ISO3</th><th>State</th><th>Payment</th><th>Received</th><th>Language</th><th class="num">CHF</th><th>Document</th></tr></thead><tbody>\n${rows}\n</tbody></table>\n</body>\n</html>\n`,
      });
      files.push({ path: path.join(out, 'acknowledgements.csv'), content: acknowledgementsCsv(listed, o.csvDialect) });
      const { acknowledgementEntry, manifestFile } = await import('../../render/manifest.js'); // what finproc send reads (docs/send.md)
      files.push(manifestFile(out, 'acknowledge', false, `finproc ${pkg.version}`, listed.map((x) => acknowledgementEntry(x.ack, x.lang, x.names, files))));
      cli.write(files);
      if (cli.io.stdout.isTTY) cli.say(`${listed.length} acknowledgements in ${cli.shown(out)}/ (${o.format.join(', ')}), CHF ${formatAmount(centsToString(total), 'swiss')} received.\n`);
    });
}
