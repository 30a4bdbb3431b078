/**
 * `finproc send DIR`: each document that `finproc invoice`, `remind` or `acknowledge` listed in
 * DIR/manifest.json, as an e-mail to the State's mission with the PDF attached: written as
 * .eml files (the default), or sent through SMTP (--smtp URL). Every message accepted is
 * recorded in dispatch.csv in the books, so nothing is sent twice unless --resend
 * (docs/send.md). load → plan → compose → send/write → record.
 */
import path from 'node:path';
import { Option, type Command } from 'commander';
import { problem, isError, type Problem } from '../../core/problem.js';
import type { DispatchRecord, Refusal } from '../../core/dispatch.js';
import type { CsvDialect } from '../../render/csv.js';
import type { DispatchReport, DispatchRow } from '../../render/dispatch.js';
import { UsageError } from '../args.js';
import type { Cli } from '../context.js';
import { terminalWidth } from '../output.js';
import { statesArg } from './invoice.js';

interface SendOptions {
  books: string;
  states?: string[];
  smtp?: string;
  out?: string;
  date?: string;
  resend?: boolean;
  record?: boolean;
  dryRun?: boolean;
  wait?: number;
  format: 'table' | 'csv' | 'json';
  csvDialect: CsvDialect;
}

export function register(program: Command, cli: Cli): void {
  program
    .command('send')
    .summary('e-mail invoices, reminders and acknowledgements')
    .description(
      "Send each document that finproc invoice, remind or acknowledge wrote into DIR (listed in DIR/manifest.json) to the State's mission: an e-mail (RFC 5322 / MIME) with a short covering text in the document's language and the PDF attached, To: the e-mail address in missions.csv, From and Reply-To from isu.yaml. By default each message is written as an .eml file (DIR/outbox/); with --smtp it is sent through that server. Every message a server accepts is recorded in dispatch.csv in the books (document, address, time, Message-ID, SHA-256 of the PDF), and a document recorded there is not sent again unless --resend. Previews, documents not in the register or cancelled by a credit note, acknowledgements of a payment not in payments.csv (or of another State), changed files and States without an address are refused and listed; nothing else stops. Same documents, books and --date give the same .eml bytes. Rules: docs/send.md.",
    )
    .argument('<dir>', 'the --out directory of finproc invoice, remind or acknowledge (holds manifest.json and the PDFs)')
    .addOption(cli.booksOpt())
    .option('--states <iso3,...>', 'only the documents of these States', statesArg)
    .option('--smtp <url>', 'send through this server: smtp://[user@]host[:port] (STARTTLS when offered) or smtps://host[:465]; the password from FINPROC_SMTP_PASSWORD, never on the command line')
    .option('--out <dir>', 'where the .eml files go, without --smtp (default: DIR/outbox)')
    .addOption(cli.dateOpt('--date', "the Date of the messages (default: each document's own date); taken at 12:00 UTC"))
    .option('--resend', 'send again the documents already in dispatch.csv (a new Message-ID each time)')
    .option('--record', 'without --smtp: record the .eml files written in dispatch.csv as sent (when you send them yourself)')
    .option('--dry-run', 'list what would go, and to whom; write and send nothing')
    .addOption(cli.waitOpt())
    .addOption(new Option('--format <format>', 'the report: table, csv or json').choices(['table', 'csv', 'json']).default('table'))
    .addOption(new Option('--csv-dialect <dialect>', 'CSV dialect of the report').choices(['rfc4180', 'excel']).default('rfc4180'))
    .addHelpText(
      'after',
      `
Examples:
  finproc invoice --year 2026 --states AUT,SEN --format pdf --out issued && finproc send issued --dry-run     what would go, to whom
  finproc invoice --year 2026 --states AUT,SEN --format html,pdf --out issued && finproc send issued          one .eml each in issued/outbox/

Through a mail server (the password from the environment, never on the command line):
  FINPROC_SMTP_PASSWORD=… finproc send issued --smtp smtp://isu-finance@mail.example.org:587 --date 2026-01-20
  FINPROC_SMTP_PASSWORD=… finproc send issued --smtp smtps://isu-finance@mail.example.org --states SEN --resend

Books: missions.csv (the e-mail address of each mission), isu.yaml (the sender; mail: section),
invoices.csv (the register: only issued documents go), payments.csv (an acknowledgement goes
only for a payment of its State there), dispatch.csv (the log; written).
Exit status 1 when a document was refused or a message failed (the others still go).`,
    )
    .action(async (dirArg: string, o: SendOptions) => {
      const docsDir = path.resolve(cli.io.cwd, dirArg);
      const booksDir = cli.booksDir(o.books);
      if (o.smtp && o.out) throw new UsageError('--out is where .eml files go: it does not go with --smtp');
      if (o.smtp && o.record) throw new UsageError('--record is for .eml files you send yourself: with --smtp every message accepted is recorded');
      if (o.dryRun && o.record) throw new UsageError('--dry-run records nothing: leave out --record');
      // Only a run that may write dispatch.csv takes the books lock (and may wait for it).
      const writesBooks = !o.dryRun && (!!o.smtp || !!o.record);
      if (o.wait !== undefined && !writesBooks) throw new UsageError('--wait goes with --smtp or --record (only a run that writes the books waits for them)');
      if (o.smtp) {
        let u: URL | undefined;
        try {
          u = new URL(o.smtp);
        } catch {
          u = undefined;
        }
        if (!u || !['smtp:', 'smtps:'].includes(u.protocol) || !u.hostname) throw new UsageError(`--smtp: expected smtp://host[:port] or smtps://host[:port], e.g. smtp://mail.example.org:587`);
        if (u.password) throw new UsageError('--smtp: put no password in the URL (it would show in the process list and the shell history); set FINPROC_SMTP_PASSWORD');
        if (u.username && !cli.io.env.FINPROC_SMTP_PASSWORD) throw new UsageError(`--smtp: the user ${decodeURIComponent(u.username)} needs a password: set FINPROC_SMTP_PASSWORD`);
      }
      const [{ FileReader, loadBooks }, { loadInvoiceBooks }, { loadManifest }, { appendDispatchLog, documentPdf, loadDispatchLog, openSmtp, safeUrl, DISPATCH_FILE }, { planDispatch }, { composeMessage }, { dispatchCsv, dispatchJson, dispatchSummary, dispatchTable }] = await Promise.all([
        import('../../io/books.js'),
        import('../../io/invoice-job.js'),
        import('../../io/manifest.js'),
        import('../../io/dispatch.js'),
        import('../../core/dispatch.js'),
        import('../../render/mail.js'),
        import('../../render/dispatch.js'),
      ]);
      // Everything from reading dispatch.csv to its last write is one unit, under the lock on
      // the books when it writes them: two runs at once never send a document twice.
      const body = async () => {
        const reader = new FileReader(booksDir, cli.io.cwd);
        const problems: Problem[] = [];
        const manifest = loadManifest(docsDir, (p) => reader.display(p), problems);
        const { books, problems: bookProblems } = loadBooks(booksDir, reader);
        problems.push(...bookProblems);
        if (!manifest || !books) cli.fail(problems);
        const { issuer, missions, register } = loadInvoiceBooks(books!, reader, problems);
        const log = loadDispatchLog(reader, booksDir, problems);
        if (!issuer || !missions || !register || !log || problems.some(isError)) cli.fail(problems);
        const manifestShown = reader.display(path.join(docsDir, 'manifest.json'));
        for (const s of o.states ?? []) if (!manifest!.documents.some((d) => d.iso3 === s)) cli.fail([problem('argument-invalid', `--states: ${manifestShown} has no document for ${s}`, { hint: `its States: ${[...new Set(manifest!.documents.map((d) => d.iso3))].join(', ') || 'none'}` })]);
        const docs = manifest!.documents.filter((d) => !o.states || o.states.includes(d.iso3));
        // An acknowledgement is checked against payments.csv (it is not in the register): the ledger is read only then.
        let payments: { id: string; iso3: string; chf: bigint }[] = [];
        if (docs.some((d) => d.kind === 'acknowledgement')) {
          const { loadLedger } = await import('../../io/ledger.js');
          const ledger = loadLedger(books!, reader, problems);
          if (!ledger || problems.some(isError)) cli.fail(problems);
          payments = ledger!.ledger.payments;
        }

        // Plan: what may go, to whom; files read and checked against the manifest.
        const pdfs = new Map<string, { name: string; bytes: Buffer; sha256: string }>();
        const fileRefusals = new Map<string, Refusal>();
        if (!manifest!.preview)
          for (const d of docs) {
            const r = documentPdf(docsDir, d);
            if ('reason' in r) fileRefusals.set(d.document, r);
            else pdfs.set(d.document, r);
          }
        const emails = new Map([...missions!.values()].map((m) => [m.iso3, m.email]));
        const plan = planDispatch(docs, { preview: manifest!.preview, register: register!, payments, emails, log: log!, resend: !!o.resend, fileRefusals });

        const mode: DispatchReport['mode'] = o.dryRun ? 'dry-run' : o.smtp ? 'smtp' : 'eml';
        const outbox = path.resolve(cli.io.cwd, o.out ?? path.join(docsDir, 'outbox'));
        const logShown = reader.display(path.join(booksDir, DISPATCH_FILE));
        const rows: DispatchRow[] = [];
        const row = (d: (typeof docs)[number], to: string, status: DispatchRow['status'], detail: string, messageId = '', file = ''): DispatchRow => ({ document: d.document, iso3: d.iso3, kind: d.kind, lang: d.lang, to, status, messageId, file, detail });
        const refused: Problem[] = [];
        /** A refusal for the State's address, at its cell of missions.csv (file:line:column, the line quoted). */
        const missionCell = async (iso3: string, message: string, hint: string): Promise<Problem> => {
          const file = path.join(booksDir, 'missions.csv');
          const { readCsv, atCell } = await import('../../io/csv.js');
          const f = reader.read(file, []);
          const t = f ? readCsv(f.display, f.text, { required: ['iso3'], optional: ['email'] }).table : undefined;
          const row = t?.rows.find((r) => r.text('iso3')?.trim() === iso3);
          return t && row && t.header.includes('email') ? atCell(t, row, 'email', 'dispatch-refused', message, hint) : problem('dispatch-refused', message, { file: reader.display(file), hint });
        };
        const failed: Problem[] = [];
        const numberOf = (d: (typeof docs)[number]) => d.number ?? d.invoices.join(' ');

        /** The one place the dispatch log is written: rows appended to dispatch.csv, atomically. */
        const recordDispatch = (records: DispatchRecord[]) => {
          if (records.length === 0) return;
          const ps: Problem[] = [];
          const f = appendDispatchLog(booksDir, records, ps, logShown);
          if (!f) cli.fail(ps);
          cli.write([{ ...f!, book: true }]);
        };

        const emlFiles: { path: string; content: Buffer }[] = [];
        const emlRecords: DispatchRecord[] = [];
        let smtp: Awaited<ReturnType<typeof openSmtp>> | undefined;
        let stopped = '';
        try {
          for (const x of plan) {
            const d = x.doc;
            if (x.status === 'refused') {
              rows.push(row(d, emails.get(d.iso3) ?? '', 'refused', x.reason));
              const addressProblem = /missions\.csv/.test(x.reason);
              refused.push(addressProblem ? await missionCell(d.iso3, `${d.document}: ${x.reason}`, x.hint) : problem('dispatch-refused', `${d.document}: ${x.reason}`, { file: manifestShown, hint: x.hint }));
              continue;
            }
            if (x.status === 'skipped') {
              rows.push(row(d, x.to, 'skipped', `on ${x.previous.sentAt || x.previous.date} to ${x.previous.to} (${x.previous.via}); --resend sends it again`, x.previous.messageId));
              continue;
            }
            const pdf = pdfs.get(d.document)!;
            const s = books!.ref.states.get(d.iso3);
            const msg = await composeMessage({ doc: d, file: pdf, issuer: issuer!, mission: missions!.get(d.iso3)!, names: s ? { nameEn: s.nameEn, nameFr: s.nameFr, nameEs: s.nameEs } : undefined, date: o.date ?? d.date, attempt: x.attempt });
            const record = (via: DispatchRecord['via']): DispatchRecord => ({ document: d.document, kind: d.kind, iso3: d.iso3, number: numberOf(d), to: x.to, via, messageId: msg.messageId, date: msg.date, sentAt: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'), file: pdf.name, sha256: pdf.sha256 });
            if (mode === 'dry-run') {
              rows.push(row(d, x.to, 'would-send', msg.subject, msg.messageId));
              continue;
            }
            if (mode === 'eml') {
              const name = `${d.document}${x.attempt > 1 ? `.${x.attempt}` : ''}.eml`;
              emlFiles.push({ path: path.join(outbox, name), content: msg.raw });
              if (o.record) emlRecords.push(record('eml'));
              rows.push(row(d, x.to, 'written', '', msg.messageId, cli.shown(path.join(outbox, name))));
              continue;
            }
            if (stopped) {
              rows.push(row(d, x.to, 'not-attempted', stopped, msg.messageId));
              continue;
            }
            if (!smtp && !o.date) cli.io.stderr.write(cli.err.yellow(`warning: the messages are dated with their documents' own dates (e.g. ${d.date}); give --date YYYY-MM-DD, the day you send, so that they are not dated in the past`) + '\n');
            smtp ??= await openSmtp(o.smtp!, cli.io.env.FINPROC_SMTP_PASSWORD);
            const to = [x.to, ...(issuer!.mail.archive ? [issuer!.mail.archive] : [])];
            const r = await smtp.send(msg.raw, { from: issuer!.mail.from, to });
            if (r.ok && r.accepted.some((a) => a.toLowerCase() === x.to.toLowerCase())) {
              // Recorded at once, message by message: an interrupted run never sends twice what it sent.
              try {
                recordDispatch([record('smtp')]);
              } catch (e) {
                stopped = `not attempted: ${d.document} was accepted but could not be recorded in ${logShown}`;
                failed.push(problem('dispatch-failed', `${d.document} was sent to ${x.to} (${msg.messageId}) but could not be recorded in ${logShown}: ${(e as Error).message}`, { file: logShown, hint: 'add its row to dispatch.csv by hand, or it will be sent again; nothing more was sent' }));
                rows.push(row(d, x.to, 'sent', 'sent but NOT recorded', msg.messageId));
                continue;
              }
              const archived = r.rejected.length ? `; the archive copy was refused (${r.rejected.join(', ')})` : '';
              rows.push(row(d, x.to, 'sent', `${r.response}${archived}`, msg.messageId));
            } else {
              const why = r.ok ? `the server refused ${x.to}` : r.message;
              if (!r.ok && r.fatal) stopped = `not attempted: ${why}`;
              rows.push(row(d, x.to, 'failed', why, msg.messageId));
              failed.push(problem('dispatch-failed', `${d.document} to ${x.to}: ${why}`, { hint: !r.ok && r.fatal ? `check --smtp ${safeUrl(o.smtp!)} (host, port, TLS, user and FINPROC_SMTP_PASSWORD); nothing was recorded for it, run again to retry` : 'check the address in missions.csv; nothing was recorded for it, run again to retry' }));
            }
          }
        } finally {
          smtp?.close();
        }
        if (mode === 'eml') {
          cli.write(emlFiles);
          recordDispatch(emlRecords);
        }

        const report: DispatchReport = { mode, rows };
        cli.say(o.format === 'json' ? dispatchJson(report) : o.format === 'csv' ? dispatchCsv(report, o.csvDialect) : dispatchTable(report, cli.io.stdout.isTTY ? cli.out.bold : undefined, terminalWidth(cli.io.stdout, cli.io.env)));
        cli.report([...refused, ...failed]);
        if (cli.io.stdout.isTTY && o.format === 'table') {
          const where = mode === 'eml' ? ` .eml files in ${cli.shown(outbox)}/${o.record ? `, recorded in ${logShown}` : ''}` : mode === 'smtp' ? ` through ${safeUrl(o.smtp!)}, recorded in ${logShown}` : ' (dry run: nothing written or sent)';
          cli.say(`${dispatchSummary(rows)};${where}.\n`);
        }
        if (refused.length || failed.length) cli.code = 1;
      };
      if (writesBooks) await cli.locked(booksDir, `send ${dirArg}${o.smtp ? ' --smtp' : ' --record'}${o.resend ? ' --resend' : ''}`, o.wait, body);
      else await body();
    });
}
