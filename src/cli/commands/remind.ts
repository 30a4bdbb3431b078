/**
 * `finproc remind --as-of DATE`: a reminder letter to each State in arrears as of the date, in
 * its language, listing what it owes invoice by invoice, at a level set by the age of its
 * oldest unpaid year (docs/invoices.md, "Reminders"). Same books and date, same bytes.
 */
import path from 'node:path';
import { Option, type Command } from 'commander';
import { eventsByState, NO_EVENTS } from '../../core/ledger.js';
import { reminderFor, type Reminder } from '../../core/reminder.js';
import { currentInvoices } from '../../core/invoice.js';
import { isError, problem } from '../../core/problem.js';
import { ledgerJob } from '../../io/job.js';
import type { Lang } from '../../render/i18n/types.js';
import type { LetterContext } from '../../render/invoice.js';
import type { CsvDialect } from '../../render/csv.js';
import { UsageError } from '../args.js';
import { pkg, type Cli } from '../context.js';
import { chromiumFor, FORMATS, formatsArg, langArg, startPdf, statesArg } from './invoice.js';
import { centsToString } from '../../core/ledger.js';
import { groupDigits } from '../../render/text.js';

type Format = (typeof FORMATS)[number];

export function register(program: Command, cli: Cli): void {
  program
    .command('remind')
    .summary('reminder letters to the States in arrears')
    .description(
      "Write a reminder letter to each State that owes anything of an earlier year as of --as-of, in its language: what it owes invoice by invoice (year, invoice, due since, assessed, paid and credited, outstanding, RF reference), the total, and how to pay. The letter's level follows the age of the oldest unpaid year: first reminder (one year), second reminder (two years), final reminder (three years or more). Writes ISO3-reminder-DATE.html|md|pdf, index.html and reminders-DATE.csv under --out. Nothing in the books is changed.",
    )
    .addOption(cli.dateOpt('--as-of', 'the date of the letters; only records dated on or before it count').makeOptionMandatory())
    .addOption(cli.booksOpt())
    .option('--states <iso3,...>', 'only these States', statesArg)
    .addOption(new Option('--level <n>', 'only letters of this level or above (1, 2 or 3)').choices(['1', '2', '3']).default('1'))
    .addOption(new Option('--lang <lang>', "language: auto (each State's language in states.csv), en, fr, es, ar, ru or zh").default('auto').argParser(langArg))
    .addOption(new Option('--format <formats>', 'html, md or pdf, or several: html,md').default(['html'], 'html').argParser(formatsArg))
    .option('--out <dir>', 'directory for the letters (default: reminders-DATE)')
    .addOption(new Option('--csv-dialect <dialect>', 'CSV dialect of reminders-DATE.csv').choices(['rfc4180', 'excel']).default('rfc4180'))
    .addHelpText('after', '\nExamples:\n  finproc remind --as-of 2026-03-31\n  finproc remind --as-of 2026-03-31 --level 2 --format html,md --out letters\n  finproc remind --as-of 2026-03-31 --states BOL,ECU --format md   (in Spanish: their language in states.csv)')
    .action(async (o: { asOf: string; books: string; states?: string[]; level: string; lang: Lang | 'auto'; format: Format[]; out?: string; csvDialect: CsvDialect }) => {
      const dir = cli.booksDir(o.books);
      const out = path.resolve(cli.io.cwd, o.out ?? `reminders-${o.asOf}`);
      const chromium = chromiumFor(o.format, cli.io.env);
      // Loaded here, not at start-up (see invoice.ts).
      const [{ loadInvoiceBooks }, { countryName }, { documentFile, escapeHtml, reminderHtml, reminderMarkdown, remindersCsv }, { progress }] = await Promise.all([
        import('../../io/invoice-job.js'),
        import('../../render/i18n/index.js'),
        import('../../render/invoice.js'),
        import('../progress.js'),
      ]);
      const { books, ledger, reader, problems } = ledgerJob({ books: dir, cwd: cli.io.cwd, need: ['assessments'], uses: ['payments'] });
      if (!books || !ledger) cli.fail(problems);
      const { issuer, missions, register } = loadInvoiceBooks(books!, reader, problems);
      // A reissued invoice is cited by its current number and RF reference, from the register.
      const current = currentInvoices(register ?? [], o.asOf);
      if (!issuer || !missions || problems.some(isError)) cli.fail(problems);
      for (const s of o.states ?? []) if (!books!.ref.states.has(s)) throw new UsageError(`--states: ${s} is not in states.csv`);
      const events = eventsByState(ledger!.ledger);
      const level = Number(o.level);
      const letters: { reminder: Reminder; lang: Lang }[] = [];
      for (const iso3 of [...events.keys()].sort()) {
        if (o.states && !o.states.includes(iso3)) continue;
        const r = reminderFor(iso3, events.get(iso3) ?? NO_EVENTS, o.asOf, current);
        if (!r || r.level < level) continue;
        if (!missions!.has(iso3)) {
          problems.push(problem('value-missing', `${iso3} owes ${centsToString(r.total)} of earlier years but has no address in missions.csv`, { file: reader.display(path.join(dir, 'missions.csv')), hint: 'add a row: iso3,mission,street,building,postcode,town,country,email,qr_bill' }));
          continue;
        }
        const lang: Lang = o.lang === 'auto' ? ((books!.ref.states.get(iso3)?.language as Lang | undefined) ?? 'en') : o.lang;
        letters.push({ reminder: r, lang });
      }
      if (problems.some(isError)) cli.fail(problems);
      cli.report(problems);
      const files: { path: string; content: string | Uint8Array }[] = [];
      const listed: { reminder: Reminder; lang: Lang; file: string; files: string[] }[] = [];
      const bar = progress(cli.io.stderr, letters.length, 'reminders');
      const pdf = chromium ? await startPdf(chromium) : undefined;
      try {
        for (const { reminder: r, lang } of letters) {
          const s = books!.ref.states.get(r.iso3);
          const ctx: LetterContext = { issuer: issuer!, mission: missions!.get(r.iso3)!, lang, names: s ? { nameEn: s.nameEn, nameFr: s.nameFr, nameEs: s.nameEs } : undefined, version: pkg.version };
          const html = reminderHtml(r, ctx);
          const names: string[] = [];
          for (const f of o.format) {
            const name = documentFile(r.iso3, `reminder-${o.asOf}`, f);
            names.push(name);
            files.push({ path: path.join(out, name), content: f === 'html' ? html : f === 'md' ? reminderMarkdown(r, ctx) : await pdf!.render(html) });
          }
          listed.push({ reminder: r, lang, file: names[0]!, files: names });
          bar.tick();
        }
      } finally {
        bar.stop();
        await pdf?.close();
      }
      const total = letters.reduce((s, l) => s + l.reminder.total, 0n);
      const rows = listed
        .map((x) => `<tr><td>${escapeHtml(x.reminder.iso3)}</td><td>${escapeHtml(countryName(x.reminder.iso3, 'en', books!.ref.states.get(x.reminder.iso3)))}</td><td>${x.reminder.level}</td><td>${x.lang}</td><td class="num">${centsToString(x.reminder.total)}</td><td><a href="${escapeHtml(encodeURI(x.file))}">${escapeHtml(x.file)}</a></td></tr>`)
        .join('\n');
      files.push({
        path: path.join(out, 'index.html'),
        content: `<!DOCTYPE html>\n<html lang="en" dir="ltr">\n<head>\n<meta charset="utf-8">\n<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">\n<title>Reminders as of ${o.asOf}</title>\n<style>body{font-family:"Noto Sans",sans-serif;font-size:10pt}table{border-collapse:collapse}td,th{padding:1mm 3mm;border-bottom:0.5pt solid #ccc;text-align:start}.num{text-align:end}</style>\n</head>\n<body>\n<h1>Reminders as of ${o.asOf}</h1>\n<p>${listed.length} letters, CHF ${groupDigits(centsToString(total))} outstanding on earlier years.</p>\n<table><thead><tr><th>ISO3</th><th>State</th><th>Level</th><th>Language</th><th class="num">Outstanding (CHF)</th><th>Document</th></tr></thead><tbody>\n${rows}\n</tbody></table>\n</body>\n</html>\n`,
      });
      files.push({ path: path.join(out, `reminders-${o.asOf}.csv`), content: remindersCsv(listed, o.csvDialect) });
      const { reminderEntry, manifestFile } = await import('../../render/manifest.js'); // what finproc send reads (docs/send.md)
      files.push(manifestFile(out, 'remind', false, `finproc ${pkg.version}`, listed.map((x) => reminderEntry(x.reminder, x.lang, x.files, files))));
      cli.write(files);
      if (cli.io.stdout.isTTY) cli.say(`${listed.length} reminders as of ${o.asOf} in ${cli.shown(out)}/ (${o.format.join(', ')}), CHF ${groupDigits(centsToString(total))} outstanding on earlier years.\n`);
    });
}
