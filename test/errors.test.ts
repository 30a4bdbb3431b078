/**
 * One reproducer per problem code (src/core/problem.ts, docs/errors.md): a copy of the
 * example books with one thing broken, the command, and where the problem must point.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROBLEM_CODES, type ProblemCode } from '../src/core/problem.js';
import { booksWith, run } from './helpers.js';

/** A camt.053 of one credit of 10.00 (E1, 2026-03-02) on an opening balance of 100.00, closing at `closing`. */
const camtE1 = (closing: string) =>
  '<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt><Stmt><Id>S</Id><Acct><Id><IBAN>CH9300762011623852957</IBAN></Id><Ccy>CHF</Ccy></Acct>' +
  `<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="CHF">100.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-03-02</Dt></Dt></Bal><Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="CHF">${closing}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-03-02</Dt></Dt></Bal>` +
  '<Ntry><Amt Ccy="CHF">10.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-03-02</Dt></BookgDt><ValDt><Dt>2026-03-02</Dt></ValDt><AcctSvcrRef>E1</AcctSvcrRef></Ntry></Stmt></BkToCstmrStmt></Document>\n';
const appendLine = (line: string) => (t: string) => t.replace(/\n?$/, '\n') + line + '\n';
const sub = (a: string | RegExp, b: string) => (t: string) => {
  const next = t.replace(a, b);
  if (next === t) throw new Error(`reproducer does not apply: ${String(a)}`);
  return next;
};

/** docs/: AUT's invoice as finproc invoice lists it in manifest.json (a stand-in PDF), issued in the register unless a preview. */
function sendable(dir: string, preview: boolean): void {
  const pdf = Buffer.from('%PDF-1.4\n% a stand-in\n%%EOF\n');
  mkdirSync(path.join(dir, 'docs'));
  writeFileSync(path.join(dir, 'docs', 'AUT-ISU-2026-006.pdf'), pdf);
  const doc = { document: 'AUT-ISU-2026-006', iso3: 'AUT', kind: 'invoice', number: 'ISU-2026-006', year: 2026, date: '2026-01-15', due: '2026-02-14', currency: 'CHF', total: '9030.79', reference: 'RF53ISU2026006', replaces: '', level: null, invoices: [], lang: 'en', files: [{ format: 'pdf', file: 'AUT-ISU-2026-006.pdf', sha256: createHash('sha256').update(pdf).digest('hex') }] };
  writeFileSync(path.join(dir, 'docs', 'manifest.json'), JSON.stringify({ schema: 'finproc.manifest/1', command: 'invoice', preview, generator: 'finproc', documents: [doc] }));
  if (!preview) writeFileSync(path.join(dir, 'invoices.csv'), 'number,kind,iso3,year,issued,due,language,currency,contributions,arrears,credits,total,reference,replaces\nISU-2026-006,invoice,AUT,2026,2026-01-15,2026-02-14,en,CHF,9030.79,0.00,0.00,9030.79,RF53ISU2026006,\n');
}

interface Repro {
  code: ProblemCode;
  change?: Record<string, string | ((t: string) => string)>;
  setup?: (dir: string) => void;
  args?: string[];
  /** Expected `file:line:column` prefix (file relative to the books dir), or just the file. */
  at?: string;
  exit?: number;
  warning?: true;
}

const repros: Repro[] = [
  { code: 'file-missing', setup: (d) => rmSync(path.join(d, 'ldc.csv')), at: 'ldc.csv' },
  { code: 'file-unreadable', setup: (d) => writeFileSync(path.join(d, 'ldc.csv'), Buffer.from([0x69, 0x73, 0x6f, 0x33, 0x0a, 0x41, 0xe4, 0x0a])), at: 'ldc.csv' },
  { code: 'csv-syntax', change: { 'budgets.csv': appendLine('2027,"650000.00,CHF,policy.yaml,x') }, at: 'budgets.csv:10:6' },
  { code: 'csv-delimiter', change: { 'ldc.csv': sub('iso3,name', 'iso3;name,x') }, at: 'ldc.csv:1:1' },
  { code: 'column-missing', change: { 'budgets.csv': sub('year,amount,currency', 'year,amount_chf,currency') }, at: 'budgets.csv:1:1' },
  { code: 'column-unknown', change: { 'ldc.csv': (t) => t.split('\n').map((l, i) => (l ? `${l},${i === 0 ? 'region' : 'x'}` : l)).join('\n') }, at: 'ldc.csv:1:11', exit: 0, warning: true },
  { code: 'column-duplicate', change: { 'ldc.csv': (t) => t.split('\n').map((l) => (l ? `${l},${l.split(',')[1]}` : l)).join('\n') }, at: 'ldc.csv:1:11' },
  { code: 'value-missing', change: { 'states.csv': sub('AUT,Austria,Autriche,Austria,en', 'AUT,Austria,,Austria,en') }, at: 'states.csv:11:13' },
  { code: 'amount-invalid', change: { 'budgets.csv': sub('2026,618250.00', '2026,CHF618250') }, at: 'budgets.csv:9:6' },
  { code: 'amount-ambiguous', change: { 'budgets.csv': sub('2026,618250.00', '2026,"618,250"') }, at: 'budgets.csv:9:6' },
  { code: 'amount-negative', change: { 'scale.csv': sub('AUT,Austria,0.677,0.679,0.626', 'AUT,Austria,0.677,0.679,-0.626') }, at: 'scale.csv:11:25' },
  { code: 'date-invalid', change: { 'parties.csv': sub('AUT,Austria,2008-12-03,ratification,2009-04-02,2010-08-01', 'AUT,Austria,2008-12-03,ratification,2009-04-02,2010-02-30') }, at: 'parties.csv:8:48' },
  { code: 'date-ambiguous', change: { 'parties.csv': sub('AUT,Austria,2008-12-03,ratification,2009-04-02,2010-08-01', 'AUT,Austria,2008-12-03,ratification,2.4.2009,2010-08-01') }, at: 'parties.csv:8:37' },
  { code: 'year-invalid', change: { 'budgets.csv': sub('2026,618250.00', '26,618250.00') }, at: 'budgets.csv:9:1' },
  { code: 'iso3-invalid', change: { 'ldc.csv': sub('AFG,Afghanistan', 'afg,Afghanistan') }, at: 'ldc.csv:2:1' },
  { code: 'iso3-unknown', change: { 'ldc.csv': appendLine('XYZ,Nowhere') }, at: 'ldc.csv:46:1' },
  { code: 'row-duplicate', change: { 'budgets.csv': appendLine('2026,700000.00,CHF,policy.yaml,again') }, at: 'budgets.csv:10:1' },
  { code: 'value-invalid', change: { 'states.csv': sub('AUT,Austria,Autriche,Austria,en', 'AUT,Austria,Autriche,Austria,de') }, at: 'states.csv:11:30' },
  { code: 'date-order', change: { 'parties.csv': sub('2024-09-06,2025-03-06', '2025-09-06,2025-03-06') }, at: 'parties.csv:70:' },
  { code: 'policy-yaml', change: { 'policy.yaml': sub('pro_rata: months', 'pro_rata: [months') }, at: 'policy.yaml:32:1' },
  { code: 'policy-schema', change: { 'policy.yaml': sub('pro_rata: months', 'pro_ratа: months') }, at: 'policy.yaml:30:1' },
  { code: 'policy-shares', change: { 'policy.yaml': sub('share: "85"', 'share: "84.99"') }, at: 'policy.yaml:38:3' },
  { code: 'policy-member', change: { 'policy.yaml': sub('    members: non-ldc', '    members: { iso3: [AUT, USA] }') }, at: 'policy.yaml:42:28' },
  { code: 'policy-bounds', change: { 'policy.yaml': sub('max: { percent: "25", of: total }', 'max: { percent: "0.5", of: total }') }, at: 'policy.yaml:60:7' },
  { code: 'scale-period', change: { 'policy.yaml': sub('{ from: "2025", to: "2027", column: rate_2025_2027_pct }', '{ from: "2025", to: "2025", column: rate_2025_2027_pct }') }, at: 'policy.yaml:19:5' },
  { code: 'scale-sum', change: { 'scale.csv': sub('AUT,Austria,0.677,0.679,0.626', 'AUT,Austria,0.677,0.679,0.627') }, at: 'scale.csv:1:', exit: 0, warning: true },
  { code: 'rate-unrated', change: { 'policy.yaml': sub(/  unrated:\n    states: .*\n    rule: notional\n    rate: "0.001"\n/, '  unrated:\n\n    rule: error\n') }, at: 'policy.yaml:25:5' },
  { code: 'budget-missing', args: ['check', '--year', '2018'], at: 'budgets.csv' },
  { code: 'budget-unit', change: { 'budgets.csv': sub('2026,618250.00', '2026,618250.005') }, at: 'budgets.csv:9:6' },
  { code: 'budget-currency', change: { 'budgets.csv': sub('2026,618250.00,CHF', '2026,618250.00,EUR') }, at: 'budgets.csv:9:16' },
  { code: 'category-empty', change: { 'policy.yaml': sub('    members: non-ldc', '    members: { rate_at_least: "30" }') }, at: 'policy.yaml:42:14' },
  { code: 'ledger-reference', change: { 'payments.csv': appendLine('PAY-X-1,AUT,2026-03-01,10.00,CHF,,isu,2017,,,,') }, at: 'payments.csv:795:39' },
  { code: 'ledger-rule', change: { 'adjustments.csv': appendLine('ADJ-X,AUT,2026-03-01,refund,,,100.00,paid back twice') }, at: 'adjustments.csv:7:31' },
  { code: 'rate-missing', change: { 'pledges.csv': appendLine('PLG-X,AUT,sponsorship,1000000,JPY,2026-02-01,2026-03-01,2026,test') }, at: 'pledges.csv:65:31' },
  { code: 'already-recorded', args: ['apportion', '--year', '2026', '--record', '--issue-date', '2026-01-15'], at: 'assessments.csv' },
  { code: 'config-invalid', change: { 'isu.yaml': sub('CH93 0076 2011 6238 5295 7', 'CH94 0076 2011 6238 5295 7') }, at: 'isu.yaml:23:9' },
  { code: 'invoice-mismatch', change: { 'assessments.csv': sub('ISU-2026-006,AUT,2026,isu,scale,7974.95', 'ISU-2026-006,AUT,2026,isu,scale,7974.96') }, args: ['invoice', '--year', '2026', '--states', 'AUT'], at: 'assessments.csv' },
  {
    code: 'invoice-changed',
    // The register says AUT's invoice was issued for less than the books now give.
    change: { 'invoices.csv': 'number,kind,iso3,year,issued,due,language,currency,contributions,arrears,credits,total,reference,replaces\nISU-2026-006,invoice,AUT,2026,2026-01-15,2026-02-14,en,CHF,9030.79,0.00,30.79,9000.00,RF53ISU2026006,\n' },
    args: ['invoice', '--year', '2026', '--states', 'AUT'],
    at: 'invoices.csv',
  },
  { code: 'argument-invalid', args: ['apportion', '--year', '2026', '--budget', '618250.005'], exit: 2 },
  { code: 'scenario-schema', change: { 'scenarios/equal-25.yaml': sub('split: { base: "25", scale: "75" }', 'split: { base: "25", scael: "75" }') }, args: ['simulate', '--year', '2026', '--scenario', 'scenarios/equal-25.yaml'], at: 'scenarios/equal-25.yaml:7:22' },
  { code: 'scenario-member', change: { 'scenarios/ratify-10.yaml': sub('join: [AGO, CYP,', 'join: [AGO, AUT,') }, args: ['simulate', '--year', '2026', '--scenario', 'scenarios/ratify-10.yaml'], at: 'scenarios/ratify-10.yaml:8:15' },
  { code: 'plan-missing', args: ['cashflow', '--year', '2024'], at: 'expenditure-plan.csv' },
  { code: 'dispatch-refused', setup: (d) => sendable(d, true), args: ['send', 'docs'], at: 'docs/manifest.json' },
  { code: 'dispatch-failed', setup: (d) => sendable(d, false), args: ['send', 'docs', '--smtp', 'smtp://127.0.0.1:1'] },
  { code: 'bank-file', setup: (d) => writeFileSync(path.join(d, 'statement.txt'), 'not a bank file\n'), args: ['bank', 'import', 'statement.txt'], at: 'statement.txt:1:1' },
  {
    code: 'bank-balance',
    // opening 100.00 + a credit of 10.00 is not the closing 100.00
    setup: (d) => writeFileSync(path.join(d, 'camt.xml'), camtE1('100.00')),
    args: ['bank', 'import', 'camt.xml'],
    at: 'camt.xml',
    exit: 0,
    warning: true,
  },
  {
    code: 'bank-reference',
    // bank-review.csv holds E1 received on 2026-03-01; the statement gives E1, same amount, on 2026-03-02
    change: { 'bank-review.csv': 'key,received,chf,iso3,invoice,decision\nCH9300762011623852957|E1|1,2026-03-01,10.00,,,\n' },
    setup: (d) => writeFileSync(path.join(d, 'camt.xml'), camtE1('110.00')),
    args: ['bank', 'import', 'camt.xml'],
    at: 'camt.xml',
    exit: 0,
    warning: true,
  },
  { code: 'bank-review', change: { 'bank-review.csv': 'key,received,chf,iso3,invoice,decision\nCH9300762011623852957|E1|1,2026-03-02,10.00,,,\n' }, at: 'bank-review.csv:2:', exit: 0, warning: true },
  { code: 'date-future', change: { 'payments.csv': appendLine('PAY-X-1,AUT,2042-03-01,10.00,CHF,,isu,,,,,') }, at: 'payments.csv:795:13', exit: 0, warning: true },
];

describe('one reproducer per problem code', () => {
  it('covers every code', () => {
    expect(repros.map((r) => r.code).sort()).toEqual(Object.keys(PROBLEM_CODES).sort());
  });

  for (const r of repros) {
    it(r.code, async () => {
      const dir = booksWith(r.change ?? {});
      r.setup?.(dir);
      const args = [...(r.args ?? ['check']), '--books', dir];
      const res = await run(args, { cwd: dir });
      expect(res.code).toBe(r.exit ?? 1);
      const line = res.stderr.split('\n').find((l) => l.includes(`[${r.code}]`));
      expect(line, res.stderr).toBeDefined();
      expect(line).toContain(r.warning ? 'warning' : 'error');
      if (r.at) expect(line!.startsWith(r.at), `${line} should start with ${r.at}`).toBe(true);
      // Every located problem quotes its line and puts a marker under the column.
      if (r.at && /:\d+:\d+/.test(line!)) expect(res.stderr).toMatch(/\n\s+\d+ \| .*\n\s+\| *\^+/);
      expect(res.stderr).not.toContain('internal error');
    });
  }
});

describe('all problems at once', () => {
  it('lists every problem of every file in one run, sorted by file and line', async () => {
    const dir = booksWith({
      'budgets.csv': (t) => sub('2026,618250.00', '2026,"618,250"')(sub('2025,605400.00', '2025,605400,00x')(t)),
      'ldc.csv': appendLine('XYZ,Nowhere'),
      'parties.csv': sub('2009-04-02,2010-08-01', '2009-04-02,1.8.2010'),
    });
    const res = await run(['check', '--books', dir], { cwd: dir });
    expect(res.code).toBe(1);
    const located = res.stderr.split('\n').filter((l) => /^\S+:\d+:\d+: (error|warning)/.test(l));
    expect(located.map((l) => l.replace(/:(\d+):(\d+):.*/, ':$1'))).toEqual(['budgets.csv:8', 'budgets.csv:9', 'ldc.csv:46', 'parties.csv:8']);
    expect(res.stderr).toMatch(/4 errors, 0 warnings\n$/);
  });

  it('writes nothing when the input has errors, and leaves existing outputs untouched', async () => {
    const dir = booksWith({ 'budgets.csv': sub('2026,618250.00', '2026,"618,250"') });
    const out = path.join(dir, 'out');
    mkdirSync(out);
    writeFileSync(path.join(out, 'apportionment-2026.csv'), 'previous\n');
    const res = await run(['apportion', '--year', '2026', '--books', dir, '--out', out], { cwd: dir });
    expect(res.code).toBe(1);
    const { readFileSync, readdirSync } = await import('node:fs');
    expect(readFileSync(path.join(out, 'apportionment-2026.csv'), 'utf8')).toBe('previous\n');
    expect(readdirSync(out)).toEqual(['apportionment-2026.csv']);
  });
});

describe('docs/errors.md', () => {
  it('documents every problem code', async () => {
    const { readFileSync } = await import('node:fs');
    const doc = readFileSync(path.join(__dirname, '..', 'docs', 'errors.md'), 'utf8');
    for (const code of Object.keys(PROBLEM_CODES)) expect(doc, code).toContain(`| \`${code}\` |`);
  });
});
