/**
 * Hostile input for `finproc invoice` and `finproc remind` (issue 4): names and addresses that
 * try to break the HTML or the Markdown or to write outside --out, a hostile isu.yaml, a
 * corrupt register, bad arguments, and failures part-way. Every case would fail if its
 * protection were removed: escaping is checked by the raw dangerous text being absent and its
 * escaped form present; bad input by exit 1 or 2 with file:line:column, never exit 3.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { booksWith, run, type Run } from './helpers.js';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'finproc-hostile-inv-'));
const AFG_STATE = 'AFG,Afghanistan,Afghanistan,Afganistán,en';
const AFG_MISSION = 'AFG,Permanent Mission of Afghanistan to the UN Office at Geneva,Avenue de la Paix,40,1202,Geneva,CH,finance.afg@mission.example.org,yes';
/** A CSV cell, quoted. */
const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
const state = (en: string, fr = en, es = en) => (t: string) => t.replace(AFG_STATE, `AFG,${q(en)},${q(fr)},${q(es)},en`);
const mission = (f: { mission?: string; street?: string; building?: string; town?: string }) => (t: string) =>
  t.replace(AFG_MISSION, ['AFG', f.mission ?? 'Permanent Mission of Afghanistan to the UN Office at Geneva', f.street ?? 'Avenue de la Paix', f.building ?? '40', '1202', f.town ?? 'Geneva', 'CH', 'finance.afg@mission.example.org', 'yes'].map(q).join(','));

/** Every file under a directory, relative paths, sorted. */
function tree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = path.join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(path.relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}
const snapshot = (dir: string) => new Map(tree(dir).map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));

async function invoice(books: string, args: string[] = [], out = path.join(tmp(), 'out')): Promise<Run & { out: string }> {
  const r = await run(['invoice', '--year', '2026', '--books', books, '--out', out, ...args], { cwd: path.dirname(out) });
  return { ...r, out };
}
const read = (dir: string, re: RegExp) => {
  const f = readdirSync(dir).find((x) => re.test(x));
  if (!f) throw new Error(`no file ${re} in ${dir}: ${readdirSync(dir).join(' ')}`);
  return readFileSync(path.join(dir, f), 'utf8');
};
/** Bad input: exit 1, a located error in `file`, never an internal error. */
function refused(r: Run, file: string, line?: number) {
  expect(r.stderr).not.toContain('internal error');
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(new RegExp(`${file.replace('.', '\\.')}:${line ?? '\\d+'}:\\d+: error`));
}
const notInternal = (r: Run) => {
  expect(r.stderr).not.toContain('internal error');
  expect(r.code).not.toBe(3);
};

const XSS = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>'];
const XSS_ESCAPED = ['&lt;script&gt;alert(1)&lt;/script&gt;', '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;'];

describe('hostile State names (states.csv)', () => {
  it.each([
    ['en', 0],
    ['fr', 1],
    ['es', 0],
  ] as const)('names with markup are escaped in the %s invoice, its title, the index and the Markdown', async (lang, k) => {
    // name_en gets one payload, name_fr the other, name_es the first again.
    const books = booksWith({ 'states.csv': state(XSS[0]!, XSS[1], XSS[0]) });
    const r = await invoice(books, ['--states', 'AFG', '--lang', lang, '--format', 'html,md']);
    expect(r.code).toBe(0);
    const html = read(r.out, /^AFG-.*\.html$/);
    const md = read(r.out, /^AFG-.*\.md$/);
    const index = readFileSync(path.join(r.out, 'index.html'), 'utf8');
    for (const doc of [html, md, index]) for (const x of XSS) expect(doc).not.toContain(x);
    expect(html).toContain(XSS_ESCAPED[k]);
    expect(html).toMatch(new RegExp(`<title>[^<]*${XSS_ESCAPED[k]!.replace(/[()]/g, '\\$&')}[^<]*</title>`));
    expect(index).toContain(XSS_ESCAPED[0]); // the index lists the English name
    // Markdown keeps " as it is (not markup there), but < and > become entities.
    expect(md).toContain(XSS_ESCAPED[k]!.replace(/&quot;/g, '"'));
    expect(html).not.toMatch(/<script|<img/i);
  });

  it('names and addresses with markup are escaped in reminder letters and their index', async () => {
    const books = booksWith({ 'states.csv': state(XSS[0]!, XSS[1], XSS[0]), 'missions.csv': mission({ mission: XSS[1], street: '~~~ [x](javascript:alert(1))' }) });
    const out = path.join(tmp(), 'rem');
    const r = await run(['remind', '--as-of', '2026-03-31', '--books', books, '--states', 'AFG', '--format', 'html,md', '--out', out]);
    expect(r.code).toBe(0);
    const html = read(out, /^AFG-.*\.html$/);
    const md = read(out, /^AFG-.*\.md$/);
    const index = readFileSync(path.join(out, 'index.html'), 'utf8');
    for (const doc of [html, md, index]) for (const x of XSS) expect(doc).not.toContain(x);
    expect(html).toContain(XSS_ESCAPED[0]);
    expect(html).toContain(XSS_ESCAPED[1]);
    expect(index).toContain(XSS_ESCAPED[0]);
    expect(md).not.toContain('[x](');
    expect(tree(out)).toEqual(['AFG-reminder-2026-03-31.html', 'AFG-reminder-2026-03-31.md', 'index.html', 'manifest.json', 'reminders-2026-03-31.csv']);
  });

  it('a name like ../../x writes nothing outside --out: files are named by ISO3 and number only', async () => {
    const books = booksWith({ 'states.csv': state('../../x', '../../../etc/x', '/tmp/x') });
    const parent = tmp();
    const out = path.join(parent, 'a', 'b', 'out');
    mkdirSync(path.dirname(out), { recursive: true });
    for (const lang of ['en', 'fr', 'es']) {
      const r = await invoice(books, ['--states', 'AFG', '--lang', lang, '--format', 'html,md'], out);
      expect(r.code).toBe(0);
    }
    expect(tree(parent).filter((f) => !f.startsWith(path.join('a', 'b', 'out') + path.sep))).toEqual([]);
    expect(tree(out)).toEqual(['AFG-ISU-2026-001.html', 'AFG-ISU-2026-001.md', 'index.html', 'manifest.json', 'register-2026.csv']);
  });

  it('Markdown: a name cannot start a link, emphasis or break the table', async () => {
    const evil = '*bold* [link](javascript:alert(1)) | pipe';
    const books = booksWith({ 'states.csv': state(evil) });
    const r = await invoice(books, ['--states', 'AFG', '--format', 'md']);
    expect(r.code).toBe(0);
    const md = read(r.out, /\.md$/);
    expect(md).not.toContain('[link](');
    expect(md).not.toMatch(/(^|[^\\])\*bold(^|[^\\])\*/m);
    expect(md).toContain('\\[link\\]');
    expect(md).toContain('\\*bold\\*');
    // Any "|" from the name is escaped, so no line gains a table cell.
    for (const l of md.split('\n').filter((x) => x.includes('pipe'))) expect(l).toMatch(/\\\| pipe/);
  });

  it('a very long name (10,000 characters) is refused or rendered, never an internal error', async () => {
    const books = booksWith({ 'states.csv': state('A'.repeat(10_000)) });
    const r = await invoice(books, ['--states', 'AFG', '--format', 'html,md']);
    notInternal(r);
    if (r.code !== 0) refused(r, 'states.csv');
  });

  it('a name with a NUL is refused at its cell in states.csv', async () => {
    const books = booksWith({ 'states.csv': state('Afghan\u0000istan') });
    refused(await invoice(books, ['--states', 'AFG']), 'states.csv', 2);
  });

  // missions.csv refuses bidi overrides (src/io/invoice.ts UNSAFE); states.csv should too:
  // U+202E in a name turns the rest of a sentence around ("Contribution of X to the 2026 budget").
  it('a name with a right-to-left override (U+202E) is refused at its cell, or never reaches a document', async () => {
    const books = booksWith({ 'states.csv': state('Afghan\u202eistan') });
    const r = await invoice(books, ['--states', 'AFG', '--format', 'html,md']);
    notInternal(r);
    if (r.code === 0) for (const f of tree(r.out)) expect(readFileSync(path.join(r.out, f), 'utf8'), f).not.toContain('\u202e');
    else refused(r, 'states.csv', 2);
  });
});

describe('hostile mission fields (missions.csv)', () => {
  it('markup in the mission, street and town is escaped in HTML and Markdown', async () => {
    const books = booksWith({ 'missions.csv': mission({ mission: XSS[0], street: XSS[1], town: '</bdi><b>x' }) });
    const r = await invoice(books, ['--states', 'AFG', '--format', 'html,md']);
    expect(r.code).toBe(0);
    const html = read(r.out, /\.html$/);
    const md = read(r.out, /\.md$/);
    for (const x of [...XSS, '</bdi><b>']) {
      expect(html).not.toContain(x);
      expect(md).not.toContain(x);
    }
    for (const x of XSS_ESCAPED) expect(html).toContain(x);
    expect(html).toContain('&lt;/bdi&gt;&lt;b&gt;x');
    // The QR-bill SVG (AFG: qr_bill=yes) is inserted as it is: swissqrbill must escape the debtor.
    const qr = /<section class="qr"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
    expect(qr).toContain('<svg');
    for (const x of [...XSS, '</bdi><b>']) expect(qr).not.toContain(x);
    expect(qr).toContain(XSS_ESCAPED[0]);
  });

  // Each address line starts a Markdown line (missionBlock → `${mdText(s)}  `). mdText escapes
  // \ ` * _ { } [ ] # | & < > but not ~ = - + or "1.": "~~~" opens a code fence that swallows
  // the rest of the invoice; "===" or "---" alone turn the lines above into a heading.
  it.each([
    ['a code fence', { mission: '~~~' }, /^~~~/m],
    ['a setext heading (===)', { mission: '===' }, /^=== {2}$/m],
    ['a setext heading (---)', { mission: '---' }, /^--- {2}$/m],
    ['a list item', { mission: '- Mission' }, /^- Mission/m],
    ['an ordered list item', { mission: '1. Mission' }, /^1\. Mission/m],
    ['a list item (+)', { mission: '+ Mission' }, /^\+ Mission/m],
  ] as const)('Markdown: a mission line cannot start %s', async (_what, f, bad) => {
    const books = booksWith({ 'missions.csv': mission(f) });
    const r = await invoice(books, ['--states', 'AFG', '--format', 'md']);
    expect(r.code).toBe(0);
    expect(read(r.out, /\.md$/)).not.toMatch(bad);
  });

  // SIX QR-bill Implementation Guidelines: the payload may only hold the Latin character set
  // (Basic Latin, Latin-1 Supplement, Latin Extended-A, and ȘșȚț€). swissqrbill does not check.
  it('qr_bill=yes with a non-Latin mission name: no character outside the QR-bill set on the bill', async () => {
    const books = booksWith({ 'missions.csv': mission({ mission: '阿富汗常驻日内瓦代表团', street: 'Авеню де ла Пэ' }) });
    const r = await invoice(books, ['--states', 'AFG']);
    notInternal(r);
    if (r.code !== 0) return refused(r, 'missions.csv', 2);
    const html = read(r.out, /\.html$/);
    const qr = /<section class="qr"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
    expect(qr).toContain('<svg');
    expect(qr).not.toMatch(/[^\u0000-\u017f\u0218-\u021b\u20ac]/);
    // The address is still on the invoice itself.
    expect(html).toContain('阿富汗常驻日内瓦代表团');
  });

  it('qr_bill=yes with a name over 70 characters: the bill is drawn without the debtor, not refused', async () => {
    const long = 'M'.repeat(75);
    const books = booksWith({ 'missions.csv': mission({ mission: long }) });
    const r = await invoice(books, ['--states', 'AFG']);
    expect(r.code).toBe(0);
    const html = read(r.out, /\.html$/);
    const qr = /<section class="qr"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
    expect(qr).toContain('<svg');
    expect(qr).not.toContain(long);
    expect(html).toContain(long);
  });

  it('qr_bill=yes with an empty building number is a located error', async () => {
    const books = booksWith({ 'missions.csv': mission({ building: '' }) });
    const r = await invoice(books, ['--states', 'AFG']);
    refused(r, 'missions.csv', 2);
    expect(r.stderr).toContain('building');
  });

  it('a right-to-left override or a NUL in an address is a located error', async () => {
    for (const bad of ['Avenue\u202e de la Paix', 'Avenue\u0000']) {
      const books = booksWith({ 'missions.csv': mission({ street: bad }) });
      refused(await invoice(books, ['--states', 'AFG']), 'missions.csv', 2);
    }
  });
});

describe('hostile isu.yaml', () => {
  const isu = (f: (t: string) => string) => booksWith({ 'isu.yaml': f });

  it('an alias bomb is a located config error, not an internal error', async () => {
    const bomb = ['x0: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]', ...Array.from({ length: 8 }, (_, i) => `x${i + 1}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`)].join('\n');
    const books = isu((t) => `${t}\n${bomb}\n`);
    refused(await invoice(books, ['--states', 'AFG']), 'isu.yaml');
    // `finproc check` reads isu.yaml too.
    refused(await run(['check', '--books', books]), 'isu.yaml');
  });

  it('a __proto__ key is refused at its own line', async () => {
    const r = await invoice(isu((t) => t.replace('schema: finproc.issuer/1', 'schema: finproc.issuer/1\n__proto__:\n  polluted: yes')), ['--states', 'AFG']);
    refused(r, 'isu.yaml');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // The key is on line 9 (after the 7 comment lines and schema:), not line 1 (a comment).
    expect(r.stderr).toMatch(/isu\.yaml:9:\d+: error \[config-invalid\][^\n]*__proto__/);
  });

  it('an invalid IBAN or BIC is refused at its value', async () => {
    refused(await invoice(isu((t) => t.replace('CH93 0076 2011 6238 5295 7', 'CH93 0076 2011 6238 5295 8')), ['--states', 'AFG']), 'isu.yaml', 23);
    refused(await invoice(isu((t) => t.replace('UBSWCHZH80A', 'UBSWXXZH80A')), ['--states', 'AFG']), 'isu.yaml', 24);
  });

  // A QR-IBAN (IID 30000–31999) takes only QR references, never an RF (SCOR) reference: every
  // invoice's payment instructions would be wrong. Today swissqrbill throws mid-run and the CLI
  // says "AFG (ISU-2026-001): QR-Reference must be a must be exactly 27 characters." (exit 2).
  it('a QR-IBAN is refused at isu.yaml:23 (it cannot take RF references)', async () => {
    const r = await invoice(isu((t) => t.replace('CH93 0076 2011 6238 5295 7', 'CH44 3199 9123 0008 8901 2')), ['--states', 'AFG']);
    refused(r, 'isu.yaml', 23);
  });

  // A Swiss QR-bill needs a CH or LI account; missions.csv asks for QR-bills (AFG: qr_bill=yes).
  it('a non-Swiss IBAN while missions.csv asks for QR-bills is a located error, not a usage error', async () => {
    const r = await invoice(isu((t) => t.replace('CH93 0076 2011 6238 5295 7', 'DE89 3704 0044 0532 0130 00').replace('UBSWCHZH80A', 'COBADEFFXXX')), ['--states', 'AFG']);
    notInternal(r);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/(isu\.yaml|missions\.csv):\d+:\d+: error/);
  });

  it('a missing key and a huge value are located config errors', async () => {
    refused(await invoice(isu((t) => t.replace('  bic: UBSWCHZH80A\n', '')), ['--states', 'AFG']), 'isu.yaml');
    refused(await invoice(isu((t) => t.replace('contact: The Finance Officer, ISU', `contact: ${'A'.repeat(1_000_000)}`)), ['--states', 'AFG']), 'isu.yaml', 19);
  });
});

describe('hostile or corrupt register (invoices.csv)', () => {
  const STATES = ['--states', 'AFG,ALB,AND'];
  /** Example books with a register of three invoices, as `invoice` wrote it. */
  async function issued(): Promise<{ books: string; reg: string; out: string }> {
    const books = booksWith();
    const r = await invoice(books, STATES);
    expect(r.code).toBe(0);
    return { books, reg: readFileSync(path.join(books, 'invoices.csv'), 'utf8'), out: r.out };
  }
  const edit = (books: string, f: (t: string) => string) => writeFileSync(path.join(books, 'invoices.csv'), f(readFileSync(path.join(books, 'invoices.csv'), 'utf8')));

  it('edited total, duplicate number, bad RF check digits: each refused at its cell', async () => {
    const { books, reg } = await issued();
    for (const [f, line] of [
      [(t: string) => t.replace('422.74,RF91', '522.74,RF91'), 2],
      [(t: string) => t.replace('ISU-2026-002,invoice,ALB', 'ISU-2026-001,invoice,ALB'), 3],
      [(t: string) => t.replace('RF64ISU2026002', 'RF65ISU2026002'), 3],
    ] as const) {
      writeFileSync(path.join(books, 'invoices.csv'), f(reg));
      refused(await invoice(books, STATES), 'invoices.csv', line);
    }
  });

  // The reference of a registered invoice is printed as registered: a valid RF that belongs
  // to another invoice makes two invoices with one reference, and payments go to the wrong one.
  it("an invoice registered with another invoice's RF reference is refused (references are unique)", async () => {
    const { books } = await issued();
    edit(books, (t) => t.replace('RF64ISU2026002', 'RF91ISU2026001'));
    const r = await invoice(books, STATES);
    refused(r, 'invoices.csv', 3);
    refused(await run(['check', '--books', books]), 'invoices.csv', 3);
  });

  it('a credit note that cancels a number not in the register is refused', async () => {
    const { books } = await issued();
    edit(books, (t) => `${t}CN-2026-001,credit-note,ALB,2026,2026-02-01,2026-02-01,en,CHF,-1.00,0.00,0.00,-1.00,RF48CN2026001,ISU-2026-999\n`);
    refused(await invoice(books, STATES), 'invoices.csv', 5);
  });

  // A credit note cancels ISU-2026-002; the next run issues ALB's invoice again under the
  // assessment's number ISU-2026-002, appending a second row with that number: the register
  // finproc wrote is then refused by finproc ("ISU-2026-002 is in the register twice").
  it('after a credit note, the invoice issued again never reuses the cancelled number', async () => {
    const { books, out } = await issued();
    edit(books, (t) => `${t}CN-2026-001,credit-note,ALB,2026,2026-02-01,2026-02-01,en,CHF,-1183.23,0.00,0.00,-1183.23,RF48CN2026001,ISU-2026-002\n`);
    const before = readFileSync(path.join(out, 'ALB-ISU-2026-002.html'), 'utf8');
    const r = await invoice(books, STATES, out);
    notInternal(r);
    const numbers = readFileSync(path.join(books, 'invoices.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]);
    expect(new Set(numbers).size).toBe(numbers.length);
    // The document of the cancelled invoice is not replaced by another one under its name.
    expect(readFileSync(path.join(out, 'ALB-ISU-2026-002.html'), 'utf8')).toBe(before);
    // And the books stay readable.
    notInternal(await invoice(books, STATES, out));
  });

  it.each([
    ['CRLF', (t: string) => t.replace(/\n/g, '\r\n')],
    ['a BOM', (t: string) => `\uFEFF${t}`],
    ['";" as delimiter', (t: string) => t.replace(/,/g, ';')],
  ])('a register with %s is read; a row appended keeps its bytes and its dialect', async (_what, f) => {
    const { books, reg } = await issued();
    // Drop AND's row so that the next run appends it.
    const kept = f(reg.split('\n').filter((l) => !l.startsWith('ISU-2026-003')).join('\n'));
    writeFileSync(path.join(books, 'invoices.csv'), kept);
    const r = await invoice(books, STATES);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const now = readFileSync(path.join(books, 'invoices.csv'), 'utf8');
    expect(now.startsWith(kept)).toBe(true);
    const added = now.slice(kept.length);
    expect(added).toContain('ISU-2026-003');
    expect(added.includes(';')).toBe(kept.includes(';'));
    expect(added.includes('\r\n')).toBe(kept.includes('\r\n'));
    // Read again: same register, nothing appended.
    expect((await invoice(books, STATES)).code).toBe(0);
    expect(readFileSync(path.join(books, 'invoices.csv'), 'utf8')).toBe(now);
  });

  it('a formula in a text cell of the register never reaches register-YYYY.csv as a formula', async () => {
    const { books } = await issued();
    edit(books, (t) => t.replace(/RF64ISU2026002,$/m, 'RF64ISU2026002,"=HYPERLINK(""http://evil.example/"",""x"")"'));
    const r = await invoice(books, STATES);
    notInternal(r);
    if (r.code !== 0) return refused(r, 'invoices.csv', 3);
    const out = readFileSync(path.join(r.out, 'register-2026.csv'), 'utf8');
    expect(out).toContain('HYPERLINK');
    expect(out).not.toMatch(/(^|,)"?=/m);
    expect(read(r.out, /^ALB-.*\.html$/)).not.toContain('"http://evil.example/"');
  });

  // Invoices are in CHF only; the currency and language cells are not checked, so an edited
  // register carries "=HYPERLINK(...)" or "EUR" through (protected with ' in register-YYYY.csv).
  it('a register row whose currency is not CHF (e.g. a formula) is refused at its cell', async () => {
    const { books } = await issued();
    edit(books, (t) => t.replace('en,CHF,1183.23', 'en,"=HYPERLINK(""http://evil.example/"")",1183.23'));
    const r = await invoice(books, STATES);
    notInternal(r);
    if (r.code === 0) expect(readFileSync(path.join(r.out, 'register-2026.csv'), 'utf8')).not.toMatch(/(^|,)"?=/m);
    refused(r, 'invoices.csv', 3);
  });
});

describe('--out and atomic writes', () => {
  it('--out naming a file: exit 2, nothing written, nothing recorded in the register', async () => {
    const books = booksWith();
    const file = path.join(tmp(), 'afile');
    writeFileSync(file, 'keep');
    const r = await run(['invoice', '--year', '2026', '--books', books, '--states', 'AFG', '--out', file]);
    notInternal(r);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nothing was written');
    expect(readFileSync(file, 'utf8')).toBe('keep');
    expect(existsSync(path.join(books, 'invoices.csv'))).toBe(false);
  });

  it('--out under /proc fails at once, for invoice and remind', async () => {
    const books = booksWith();
    const a = await run(['invoice', '--year', '2026', '--books', books, '--states', 'AFG', '--out', '/proc/finproc-test/x']);
    expect(a.code).toBe(2);
    expect(existsSync(path.join(books, 'invoices.csv'))).toBe(false);
    const b = await run(['remind', '--as-of', '2026-03-31', '--books', books, '--states', 'AFG', '--out', '/proc/self/finproc-test']);
    expect(b.code).toBe(2);
  });

  it('a failure part-way leaves the previous documents and the register intact and names the State', async () => {
    const books = booksWith();
    const first = await invoice(books, ['--states', 'AFG,ALB,AND', '--format', 'html,md']);
    expect(first.code).toBe(0);
    const before = snapshot(first.out);
    const reg = readFileSync(path.join(books, 'invoices.csv'), 'utf8');
    // A second run for more States, which fails while drawing AFG's QR-bill (a QR-IBAN).
    writeFileSync(path.join(books, 'isu.yaml'), readFileSync(path.join(books, 'isu.yaml'), 'utf8').replace('CH93 0076 2011 6238 5295 7', 'CH44 3199 9123 0008 8901 2'));
    const r = await invoice(books, ['--states', 'AFG,ALB,AND,ATG,AUS', '--format', 'html,md'], first.out);
    notInternal(r);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/AFG|isu\.yaml/);
    expect(snapshot(first.out)).toEqual(before);
    expect(readFileSync(path.join(books, 'invoices.csv'), 'utf8')).toBe(reg);
  });

  it('a directory where a document should go: nothing replaced, nothing recorded', async () => {
    const books = booksWith();
    const first = await invoice(books, ['--states', 'AFG,ALB']);
    const before = snapshot(first.out);
    const reg = readFileSync(path.join(books, 'invoices.csv'), 'utf8');
    mkdirSync(path.join(first.out, 'AND-ISU-2026-003.html'));
    const r = await invoice(books, ['--states', 'AFG,ALB,AND'], first.out);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('AND-ISU-2026-003.html');
    expect(snapshot(first.out)).toEqual(before);
    expect(readFileSync(path.join(books, 'invoices.csv'), 'utf8')).toBe(reg);
  });
});

describe('arguments', () => {
  it('--states: lower case and duplicates are one State; an unknown code or a path is a usage error', async () => {
    const books = booksWith();
    const a = await invoice(books, ['--states', 'afg,AFG, afg']);
    expect(a.code).toBe(0);
    expect(tree(a.out)).toEqual(['AFG-ISU-2026-001.html', 'index.html', 'manifest.json', 'register-2026.csv']);
    const b = await invoice(booksWith(), ['--states', 'AFG,XXX']);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('XXX');
    expect(existsSync(b.out)).toBe(false);
    const c = await invoice(booksWith(), ['--states', '../x']);
    expect(c.code).toBe(2);
    expect(existsSync(c.out)).toBe(false);
  });

  it('--lang xx is exit 2', async () => {
    const r = await invoice(booksWith(), ['--states', 'AFG', '--lang', 'xx']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--lang xx');
  });

  it('--issue-date 12.05.2026 is ambiguous; a date before the assessments is refused (both exit 2)', async () => {
    const a = await invoice(booksWith(), ['--states', 'AFG', '--issue-date', '12.05.2026']);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('YYYY-MM-DD');
    const b = await invoice(booksWith(), ['--states', 'AFG', '--issue-date', '2025-12-31']);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('2026-01-15');
    expect(existsSync(b.out)).toBe(false);
  });

  // addDays(9999-12-31, 30) is "10000-01-30", and invoice-job.ts compares dates as strings
  // ("2026-02-14" >= "10000-01-30"): the invoice is issued 31 December 9999, due 14 February 2026.
  it('--issue-date 9999-12-31: refused, or an invoice never due before it is issued', async () => {
    const books = booksWith();
    const r = await invoice(books, ['--states', 'AFG', '--issue-date', '9999-12-31']);
    notInternal(r);
    if (r.code !== 0) return expect(r.code).toBe(2);
    const row = readFileSync(path.join(books, 'invoices.csv'), 'utf8').trim().split('\n')[1]!.split(',');
    expect(row[5]! >= row[4]! || row[5]!.length > row[4]!.length).toBe(true);
  });

  it('remind --as-of far in the past or the future: letters or none, never an internal error', async () => {
    const books = booksWith();
    for (const d of ['0001-01-01', '9999-12-31']) {
      const r = await run(['remind', '--as-of', d, '--books', books, '--states', 'AFG,ALB', '--out', path.join(tmp(), 'rem')]);
      notInternal(r);
      expect(r.code).toBe(0);
    }
  });

  it('--format pdf with FINPROC_CHROMIUM=/bin/false: a clear message, exit 2, nothing written or recorded', async () => {
    const books = booksWith();
    const out = path.join(tmp(), 'out');
    const r = await run(['invoice', '--year', '2026', '--books', books, '--states', 'AFG', '--format', 'pdf', '--out', out], { env: { FINPROC_CHROMIUM: '/bin/false' } });
    notInternal(r);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(3);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(path.join(books, 'invoices.csv'))).toBe(false);
  }, 15_000);
});

describe('invoice numbers from assessments.csv', () => {
  // The number is free text in assessments.csv (src/io/ledger.ts `required`); creditorReference
  // throws on more than 21 letters and digits, in invoice-job.ts and in reminder.ts, unguarded.
  it('a number too long for an RF reference is a located error for invoice and remind', async () => {
    const inv = booksWith({ 'assessments.csv': (t) => t.replace('ISU-2026-001,AFG', 'ISU-2026-001-AAAAAAAAAAAAAAAAAAAA,AFG') });
    refused(await invoice(inv, ['--states', 'AFG']), 'assessments.csv');
    refused(await run(['check', '--books', inv]), 'assessments.csv');
    const rem = booksWith({ 'assessments.csv': (t) => t.replace('ISU-2025-001,AFG', 'ISU-2025-001-AAAAAAAAAAAAAAAAAAAA,AFG') });
    refused(await run(['remind', '--as-of', '2026-03-31', '--books', rem, '--states', 'AFG', '--out', path.join(tmp(), 'rem')]), 'assessments.csv');
  });

  it('an invoice number that is a path is a located error in assessments.csv, not a usage error', async () => {
    const books = booksWith({ 'assessments.csv': (t) => t.replace(/^ISU-2026-001,AFG/m, 'ISU/../../x,AFG') });
    const r = await invoice(books, ['--states', 'AFG']);
    refused(r, 'assessments.csv');
    expect(existsSync(r.out)).toBe(false);
  });

  // The RF reference drops punctuation: ISU-2026-001 and ISU-2026-00-1 get one reference.
  it('two invoice numbers that differ only in punctuation cannot share an RF reference', async () => {
    const books = booksWith({ 'assessments.csv': (t) => t.replace(/^ISU-2026-002,ALB/gm, 'ISU-2026-00-1,ALB') });
    const r = await invoice(books, ['--states', 'AFG,ALB']);
    notInternal(r);
    if (r.code === 0) {
      const refs = readFileSync(path.join(r.out, 'register-2026.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[12]);
      expect(new Set(refs).size).toBe(refs.length);
    } else refused(r, 'assessments.csv');
  });
});
