/**
 * `finproc meeting-costs`: a meeting's costs shared under Article 14 (and `--record`ed as assessments or adjustments).
 */
import { Option, type Command } from 'commander';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { centsToString, type AdjustmentRecord, type AssessmentLine } from '../../core/ledger.js';
import { meetingShares, participantsAsPayers, type MeetingShares } from '../../core/meeting.js';
import { scaleColumnFor } from '../../core/apportion.js';
import { Decimal } from '../../core/decimal.js';
import { meetingCsv, meetingJson, meetingMarkdown, meetingTable } from '../../render/meeting.js';
import { addDays } from '../../core/dates.js';
import { assessmentsFile, invoiceNumbers, recordAdjustments, recordAssessments } from '../../io/record.js';
import { groupDigits } from '../../render/text.js';
import { RateTable } from '../../core/pledges.js';
import { isError, problem, type Problem } from '../../core/problem.js';
import { FileReader, loadPolicy } from '../../io/books.js';
import { loadParticipants, type LedgerBooks } from '../../io/ledger.js';
import { ledgerJob } from '../../io/job.js';
import type { CsvDialect } from '../../render/csv.js';
import { amountArg, currencyArg, meetingArg, UsageError, yearArg } from '../args.js';
import type { Cli } from '../context.js';

export function register(program: Command, cli: Cli): void {
  const { io, out, say, report, fail, emit, write, booksDir, policyFile, dateOpt, booksOpt, waitOpt, locked } = cli;
  program
    .command('meeting-costs')
    .summary("share a meeting's costs under Article 14")
    .description(
      "Share the costs of a meeting among its participants — States Parties and States not party alike — by the UN scale of assessment adjusted to them (Article 14): the UN rates renormalised to 100 %, with the bounds and rounding of the policy (default: policies/article14.yaml in the books). Given the final cost, shows each participant's difference (further charge or credit). With --record, the shares become assessments (purpose meeting) in assessments.csv, or, with --final, the differences become reassessments and credit notes in adjustments.csv.",
    )
    .requiredOption('--meeting <id>', 'meeting identifier, e.g. MSP14 (used for invoice numbers MSP14-001, …)', meetingArg)
    .requiredOption('--year <yyyy>', 'year of the meeting (chooses the scale period)', yearArg)
    .requiredOption('--estimate <amount>', 'estimated cost of the meeting', (v: string) => amountArg('--estimate', v))
    .requiredOption('--participants <file>', 'CSV with an iso3 column: the participating States')
    .option('--currency <code>', 'currency of the amounts (ISO 4217)', currencyArg, 'CHF')
    .option('--final <amount>', 'final cost: show the difference per participant', (v: string) => amountArg('--final', v))
    .addOption(booksOpt())
    .option('--policy <file>', 'sharing policy (default: policies/article14.yaml in the books)')
    .addOption(new Option('--format <format>', 'output format (default: table, or from the --out file extension)').choices(['table', 'csv', 'json', 'md']))
    .addOption(new Option('--csv-dialect <dialect>', 'CSV dialect').choices(['rfc4180', 'excel']).default('rfc4180'))
    .option('--out <path>', 'write to a file (format from its extension), or to a directory (every format)')
    .option('--record', 'record the shares as assessments (or, with --final, the differences as adjustments)')
    .addOption(dateOpt('--issue-date', 'with --record: date of the invoices or adjustments; a foreign currency is converted to CHF at the rate of this date'))
    .addOption(dateOpt('--due-date', 'with --record: due date (default: 30 days after --issue-date)'))
    .addOption(waitOpt())
    .addHelpText('after', '\nExamples:\n  finproc meeting-costs --meeting MSP14 --year 2026 --estimate 450000.00 --currency USD --participants data/meetings/MSP14-participants.csv\n  finproc meeting-costs --meeting MSP14 --year 2026 --estimate 450000.00 --final 431250.00 --participants data/meetings/MSP14-participants.csv\n  finproc meeting-costs --meeting MSP14 --year 2026 --estimate 450000.00 --participants data/meetings/MSP14-participants.csv --record --issue-date 2026-03-02')
    .action((o: { meeting: string; year: number; estimate: Decimal; participants: string; currency: string; final?: Decimal; books: string; policy?: string; format?: string; csvDialect: CsvDialect; out?: string; record?: boolean; issueDate?: string; dueDate?: string; wait?: number }) => {
      if (!o.record && (o.issueDate || o.dueDate)) throw new UsageError('--issue-date and --due-date go with --record');
      if (!o.record && o.wait !== undefined) throw new UsageError('--wait goes with --record (only a command that writes the books waits for them)');
      if (o.record && !o.issueDate) throw new UsageError('--record needs --issue-date YYYY-MM-DD');
      if (o.record && (o.out || o.format)) throw new UsageError('--record writes the books; run again without --record for a report');
      const dir = booksDir(o.books);
      const partFile = cli.inputFile(o.participants);
      if (!existsSync(partFile)) throw new UsageError(`--participants ${o.participants}: no such file`);
      const policyPath = o.policy ? policyFile(o.policy)! : path.join(dir, 'policies', 'article14.yaml');
      if (!o.policy && !existsSync(policyPath)) throw new UsageError(`no policies/article14.yaml in the books: give --policy FILE`);
      // With --record the books are read and written under their lock (invoice numbers are allocated inside it).
      const body = () => {
      const { books, ledger, reader, problems } = ledgerJob({ books: dir, cwd: io.cwd });
      if (!books || !ledger) fail(problems);
      const pf = loadPolicy(reader, policyPath, problems);
      const iso3s = loadParticipants(reader, partFile, books!, problems);
      if (!pf?.policy || !iso3s || problems.some(isError)) fail(problems);
      const policy = pf!.policy!;
      const column = scaleColumnFor(policy, o.year);
      if (!column) fail([...problems, problem('scale-period', `no scale period of policy "${policy.id}" covers ${o.year}`, { file: reader.display(policyPath), hint: `add a period with from ≤ ${o.year} ≤ to` })]);
      // Recording in a foreign currency: the totals are converted at the rate of the issue date, then shared in CHF.
      let currency = o.currency;
      let estimate = o.estimate;
      let final = o.final;
      let conversion = '';
      if (o.record && currency !== 'CHF') {
        const rate = new RateTable(ledger!.rates).at(currency, o.issueDate!);
        if (!rate) fail([problem('rate-missing', `no ${currency} rate on or before ${o.issueDate} to convert the meeting costs to CHF`, { file: reader.display(path.join(dir, 'exchange-rates.csv')), hint: `add a row "${o.issueDate},${currency},<CHF for one ${currency}>"` })]);
        const conv = (d: Decimal) => d.times(rate!.chf).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN);
        conversion = ` (${currency} converted at ${rate!.chf.toFixed()} CHF of ${rate!.date})`;
        estimate = conv(estimate);
        if (final) final = conv(final);
        currency = 'CHF';
      }
      const { payers, parties } = participantsAsPayers(books!.ref, policy, column!, iso3s!, o.year);
      const { shares, problems: mp } = meetingShares({ meeting: o.meeting, year: o.year, currency, policy, scaleColumn: column!, payers, parties, estimate, ...(final ? { final } : {}) });
      const located = mp.map((p) => (p.code === 'budget-unit' && !p.field ? { ...p, code: 'argument-invalid' as const, message: `--estimate/--final: ${p.message}` } : p.file ? p : { ...p, file: reader.display(policyPath) }));
      if (!shares) fail([...problems, ...located]);
      report([...problems, ...located]);
      const s = shares!;
      if (o.record) {
        recordMeeting(s, ledger!, reader, dir, o.issueDate!, o.dueDate ?? addDays(o.issueDate!, 30), conversion);
        return;
      }
      const inputs = reader.list();
      const policyName = reader.reportName(policyPath);
      emit(o, `meeting-costs-${o.meeting}`, (fmt) => (fmt === 'csv' ? meetingCsv(s, o.csvDialect) : fmt === 'json' ? meetingJson(s, inputs, policyName) : fmt === 'md' ? meetingMarkdown(s, inputs) : meetingTable(s, inputs, fmt === 'tty' ? { bold: out.bold } : undefined)), { table: '.txt', csv: '.csv', json: '.json', md: '.md' });
      };
      return o.record ? locked(dir, `meeting-costs --meeting ${o.meeting} --record`, o.wait, body) : body();
    });

  /** `meeting-costs --record`: the estimate shares as invoices, or the final differences as adjustments. */
  function recordMeeting(s: MeetingShares, lb: LedgerBooks, reader: FileReader, dir: string, issued: string, due: string, conversion: string) {
    if (due < issued) throw new UsageError(`--due-date ${due} is before --issue-date ${issued}`);
    const file = reader.display(assessmentsFile(dir));
    const cents = (d: Decimal) => BigInt(d.toFixed(2).replace('.', ''));
    const existing = lb.ledger.lines.filter((l) => l.purpose === 'meeting' && l.category === s.meeting);
    if (!s.final) {
      if (existing.length > 0) fail([problem('already-recorded', `meeting ${s.meeting} is already recorded (${existing.length} invoices, ${existing[0]!.invoice}, …)`, { file, hint: 'record the final cost with --final; issued assessments are never edited' })]);
      const rows = s.rows.filter((r) => !r.estimate.isZero());
      const numbers = invoiceNumbers(s.meeting, rows.length);
      const taken = new Set(lb.ledger.lines.map((l) => l.invoice));
      const clash = numbers.find((n) => taken.has(n));
      if (clash) fail([problem('already-recorded', `invoice number ${clash} is already used`, { file, hint: 'choose another meeting id' })]);
      const lines: AssessmentLine[] = rows.map((r, i) => ({ invoice: numbers[i]!, iso3: r.iso3, year: s.year, purpose: 'meeting', category: s.meeting, amount: cents(r.estimate), issued, due, note: `Article 14 share of the estimated costs of ${s.meeting}${conversion}` }));
      const problems: Problem[] = [];
      const rec = recordAssessments(dir, lines, problems, file);
      if (!rec) fail(problems);
      write([{ ...rec!, book: true }]);
      if (io.stdout.isTTY) say(`Recorded ${s.meeting}: ${lines.length} invoices (${numbers[0]} to ${numbers[numbers.length - 1]}), CHF ${groupDigits(centsToString(lines.reduce((a, l) => a + l.amount, 0n)))}${conversion}, issued ${issued}, due ${due}, in ${file}.\n`);
      return;
    }
    // Final cost: one adjustment per participant whose share changed, against its invoice.
    const byIso = new Map(existing.map((l) => [l.iso3, l]));
    const first = existing.reduce((d, l) => (l.issued > d ? l.issued : d), '');
    if (existing.length > 0 && issued < first) throw new UsageError(`--issue-date ${issued} is before the invoices of ${s.meeting} were issued (${first}): the final cost is recorded on or after that date`);
    const years = [...new Set(existing.map((l) => l.year))];
    if (existing.length > 0 && !years.includes(s.year)) throw new UsageError(`--year ${s.year}: the invoices of ${s.meeting} are for ${years.join(', ')}`);
    const adjFile = reader.display(path.join(dir, 'adjustments.csv'));
    const missing = s.rows.filter((r) => !byIso.has(r.iso3) && !r.estimate.isZero());
    if (existing.length === 0 || missing.length > 0) fail([problem('ledger-reference', existing.length === 0 ? `meeting ${s.meeting} has no invoices in assessments.csv: record the estimate first` : `no invoice of ${s.meeting} for ${missing.map((r) => r.iso3).join(', ')}`, { file, hint: 'run meeting-costs --record without --final first, with the same participants and estimate' })]);
    const wrong = s.rows.filter((r) => byIso.has(r.iso3) && byIso.get(r.iso3)!.amount !== cents(r.estimate));
    if (wrong.length > 0) fail([problem('ledger-reference', `the invoices of ${s.meeting} do not match these shares of the estimate (${wrong.map((r) => `${r.iso3} invoiced ${centsToString(byIso.get(r.iso3)!.amount)}, computed ${r.estimate.toFixed(2)}`).slice(0, 3).join('; ')})`, { file, hint: 'give the same --estimate, --participants and policy as when the estimate was recorded' })]);
    const ids = new Set(lb.ledger.adjustments.map((a) => a.id));
    const changed = s.rows.filter((r) => !r.difference!.isZero());
    const adjustments: AdjustmentRecord[] = changed.map((r, i) => {
      const inv = byIso.get(r.iso3)!;
      return { id: `${s.meeting}-FINAL-${String(i + 1).padStart(3, '0')}`, iso3: r.iso3, date: issued, kind: r.difference!.gt(0) ? 'reassessment' : 'credit-note', invoice: inv.invoice, category: inv.category, amount: cents(r.difference!.abs()), reason: `final cost of ${s.meeting}: ${s.final!.toFixed(2)} against ${s.estimate.toFixed(2)} estimated${conversion}` };
    });
    const clash = adjustments.find((a) => ids.has(a.id));
    if (clash) fail([problem('already-recorded', `adjustment ${clash.id} is already in adjustments.csv: the final cost of ${s.meeting} was recorded`, { file: adjFile, hint: 'a further change is a new adjustment with its own reason' })]);
    const problems: Problem[] = [];
    const rec = recordAdjustments(dir, adjustments, problems, adjFile);
    if (!rec) fail(problems);
    write([{ ...rec!, book: true }]);
    if (io.stdout.isTTY) say(`Recorded the final cost of ${s.meeting}: ${adjustments.length} adjustments (${adjustments.filter((a) => a.kind === 'reassessment').length} further charges, ${adjustments.filter((a) => a.kind === 'credit-note').length} credits) dated ${issued}, in ${adjFile}.\n`);
  }
}
