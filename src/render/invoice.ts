/**
 * Invoices, credit notes and reminders as self-contained print-ready HTML (A4, no external
 * resource) and as Markdown, in the document's language (docs/invoices.md). The note that
 * explains the amount is written from the `explain` trace, so the two cannot disagree.
 *
 * Every amount cell carries its machine value in `data-amount` (the same in every language);
 * every text that comes from the books is escaped where it is written, never before.
 */
import { centsToString, type Cents } from '../core/ledger.js';
import type { Invoice, RegisterRow } from '../core/invoice.js';
import type { Reminder } from '../core/reminder.js';
import type { Issuer, Mission } from '../io/invoice.js';
import type { Explanation } from './explain.js';
import { countryName, countryOfAddress, formatIsoDate, messagesFor } from './i18n/index.js';
import type { Lang, Messages, RoundingMethod } from './i18n/types.js';
import { toCsv, type CsvDialect } from './csv.js';
import { escapeHtml, mdTable, mdText } from './text.js';

export interface StateNames {
  nameEn: string;
  nameFr: string;
  nameEs: string;
}

export interface DocumentContext {
  issuer: Issuer;
  mission: Mission;
  lang: Lang;
  /** The State's names in states.csv (en, fr, es), if listed. */
  names: StateNames | undefined;
  /** Policy facts the note needs beyond the trace: rounding and each category's share. */
  rounding: { method: RoundingMethod; unit: string };
  shares: Map<string, string | null>;
  bases: Map<string, 'equal' | 'scale' | 'fixed'>;
  version: string;
  /** Swiss QR-bill payment part (SVG markup from swissqrbill), when the State gets one. */
  qrSvg?: string;
}

export { escapeHtml };

const cents = (c: Cents) => centsToString(c);
/** "0.2865329500" → "0.28653295": trailing zeros of a percentage dropped. */
const trim = (s: string) => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);

/** The note, as paragraphs of plain text (escaped by the caller). */
export function notePlain(m: Messages, e: Explanation, ctx: Pick<DocumentContext, 'rounding' | 'shares' | 'bases'>): string[] {
  const money = (s: string) => m.money(s, e.currency);
  const out: string[] = [m.budget(money(e.budget), e.year, e.policy)];
  const facts: string[] = [];
  if (e.rate !== null) facts.push(e.rateSource === 'notional' ? m.notionalRate(m.percent(e.rate)) : m.unRate(m.percent(e.rate), e.scaleColumn));
  if (e.ldc) facts.push(m.ldc);
  if (e.months < 12) facts.push(m.proRata(e.months, e.year));
  if (facts.length) out.push(facts.join(m.lang === 'zh' ? '' : ' '));
  for (const s of e.steps) {
    const basis = ctx.bases.get(s.category);
    if (!basis) continue; // not invoiced (voluntary): not part of this invoice
    const share = ctx.shares.get(s.category) ?? null;
    const parts = [m.categoryRule(basis, s.category, share === null ? null : m.percent(share), money(s.categoryAmount), s.members)];
    if (s.fixedSharePct !== null) parts.push(m.fixedShare(m.percent(trim(s.fixedSharePct))));
    else if (basis === 'scale' && s.adjustedRatePct !== null) parts.push(m.adjustedShare(m.percent(trim(s.adjustedRatePct))));
    else if (basis === 'equal' && s.weight !== null && s.totalWeight !== null) parts.push(m.equalShare(Number(s.weight), m.number(s.totalWeight)));
    if (s.bound) parts.push(m.bound(s.bound.kind as 'min' | 'max' | 'ldc_max', money(s.bound.limit)));
    else if (s.renormalisedSharePct !== null) parts.push(m.renormalised(m.percent(trim(s.renormalisedSharePct)), s.heldAtBounds));
    parts.push(m.quota(m.number(s.quota), money(s.rounded)));
    // Chinese sentences follow one another without a space.
    out.push(parts.join(m.lang === 'zh' ? '' : ' '));
  }
  out.push(m.rounding(ctx.rounding.method, m.money(ctx.rounding.unit, e.currency)));
  return out;
}

/** What the account says, as plain paragraphs. */
function accountPlain(m: Messages, inv: Invoice): string[] {
  const date = formatIsoDate(m, inv.issued);
  const out: string[] = [];
  if (inv.arrearsTotal > 0n) {
    const since = inv.arrears.reduce((d, a) => (a.since < d ? a.since : d), inv.arrears[0]!.since);
    out.push(m.arrears(m.money(cents(inv.arrearsTotal), inv.currency), date, m.list(inv.arrears.map((a) => String(a.year))), formatIsoDate(m, since)));
  } else out.push(m.noArrears(date));
  if (inv.settled > 0n) out.push(m.credits(m.money(cents(inv.settled), inv.currency), date));
  if (inv.creditAfter > 0n) out.push(m.creditRemaining(m.money(cents(inv.creditAfter), inv.currency)));
  return out;
}

interface Row {
  label: string;
  amount: Cents;
  cls?: string;
}

function invoiceRows(m: Messages, inv: Invoice, ctx: Pick<DocumentContext, 'bases'>): Row[] {
  if (inv.kind === 'credit-note') {
    return [
      { label: m.contributions(inv.year), amount: inv.contributions },
      { label: m.arrearsTotal, amount: inv.arrearsTotal },
      { label: m.creditsApplied, amount: -inv.credits },
      { label: m.totalDue, amount: inv.total, cls: 'total' },
    ];
  }
  const rows: Row[] = inv.lines.map((l) => ({ label: m.categoryLine(ctx.bases.get(l.category) ?? 'scale', l.category, inv.year), amount: l.amount }));
  // The subtotal only when arrears or credits follow it.
  if (inv.arrears.length > 0 || inv.settled !== 0n || inv.adjustments !== 0n || inv.lines.length === 0) rows.push({ label: m.contributions(inv.year), amount: inv.contributions, cls: 'sub' });
  for (const a of inv.arrears) rows.push({ label: m.arrearsFor(a.year), amount: a.amount });
  if (inv.arrears.length > 1) rows.push({ label: m.arrearsTotal, amount: inv.arrearsTotal, cls: 'sub' });
  // Reassessments and credit notes on this invoice's lines, then what payments already settled.
  if (inv.adjustments !== 0n) rows.push({ label: m.adjustmentsApplied, amount: inv.adjustments });
  if (inv.settled !== 0n) rows.push({ label: m.creditsApplied, amount: -inv.settled });
  rows.push({ label: m.totalDue, amount: inv.total, cls: 'total' });
  return rows;
}

const STYLE = `@page{size:A4;margin:16mm 16mm 18mm}
*{box-sizing:border-box}
body{font-family:"Noto Sans","Noto Sans Arabic","Noto Naskh Arabic","Noto Sans CJK SC","Noto Sans SC","Noto Sans CJK JP",sans-serif;font-size:10pt;line-height:1.4;color:#111;margin:0}
:lang(zh) body,body:lang(zh){font-family:"Noto Sans CJK SC","Noto Sans SC","Noto Sans",sans-serif}
header{display:flex;justify-content:space-between;gap:12mm;border-bottom:1.5pt solid #1f3a5f;padding-bottom:4mm;margin-bottom:6mm}
header .issuer{font-size:9pt}
header .issuer strong{font-size:11pt;color:#1f3a5f}
.to{margin:0 0 6mm;min-height:28mm}
.label{font-size:8.5pt;color:#555}
h1{font-size:16pt;margin:0 0 2mm;color:#1f3a5f}
h2{font-size:11.5pt;margin:6mm 0 2mm;color:#1f3a5f;break-after:avoid}
table{border-collapse:collapse;width:100%}
table.meta{width:auto;margin-bottom:4mm}
table.meta th{text-align:start;font-weight:normal;color:#555;padding:0.5mm 6mm 0.5mm 0}
:dir(rtl) table.meta th,[dir=rtl] table.meta th{padding:0.5mm 0 0.5mm 6mm}
table.lines th,table.lines td{padding:1.5mm 2mm;border-bottom:0.5pt solid #ccc;text-align:start}
table.lines .num,table.lines th.num{text-align:end;white-space:nowrap}
tr.sub td{border-top:0.75pt solid #888}
tr.total td{font-weight:bold;border-top:1.5pt solid #1f3a5f;border-bottom:1.5pt solid #1f3a5f}
.num{font-variant-numeric:tabular-nums;unicode-bidi:isolate;direction:ltr}
.ref{font-family:"Noto Sans Mono","DejaVu Sans Mono",monospace;letter-spacing:0.04em;unicode-bidi:isolate;direction:ltr}
.note p,.account p{margin:0 0 2mm}
.qr{break-inside:avoid;margin-top:8mm}
.qr svg{width:210mm;max-width:100%;height:auto}
footer{margin-top:8mm;font-size:8pt;color:#666;border-top:0.5pt solid #ccc;padding-top:2mm}`;

function html(lang: Lang, m: Messages, title: string, body: string, version: string): string {
  return `<!DOCTYPE html>
<html lang="${lang}" dir="${m.dir}">
<head>
<meta charset="utf-8">
<meta name="generator" content="finproc ${escapeHtml(version)}">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(title)}</title>
<style>
${STYLE}
</style>
</head>
<body>
${body}
</body>
</html>
`;
}

// Postal addresses: the country named in the document's language.
function issuerBlock(i: Issuer, lang: Lang): string[] {
  return [i.name, i.careOf, `${i.address.street} ${i.address.building}`, `${i.address.postcode} ${i.address.town}`, countryOfAddress(i.address.country, lang), i.email, i.phone].filter((s) => s !== '');
}
function missionBlock(x: Mission, lang: Lang): string[] {
  return [x.mission, `${x.street} ${x.building}`, `${x.postcode} ${x.town}`, countryOfAddress(x.country, lang)];
}

/** IBAN in groups of four, as printed. */
export function printIban(iban: string): string {
  return iban.replace(/(.{4})(?=.)/g, '$1 ');
}

export function invoiceTitle(m: Messages, inv: Invoice): string {
  return `${inv.kind === 'invoice' ? m.invoice : m.creditNote} ${inv.number}`;
}

export function invoiceHtml(inv: Invoice, e: Explanation | undefined, ctx: DocumentContext): string {
  const m = messagesFor(ctx.lang);
  const state = countryName(inv.iso3, ctx.lang, ctx.names);
  const h = escapeHtml;
  const money = (c: Cents) => m.money(cents(c), inv.currency);
  // Each line from the books is isolated: in an Arabic document a Latin address or a telephone
  // number keeps its own order.
  const lines = (xs: string[]) => xs.map((x) => `<bdi>${h(x)}</bdi>`).join('<br>');
  const meta: [string, string, string?][] = [
    [inv.kind === 'invoice' ? m.invoiceNumber : m.creditNoteNumber, inv.number],
    [m.issueDate, formatIsoDate(m, inv.issued)],
  ];
  if (inv.kind === 'invoice') meta.push([m.dueDate, formatIsoDate(m, inv.due)]);
  meta.push([m.currency, inv.currency], [m.reference, inv.reference, 'ref']);
  const rows = invoiceRows(m, inv, ctx)
    .map((r) => `<tr${r.cls ? ` class="${r.cls}"` : ''}><td>${h(r.label)}</td><td class="num" data-amount="${cents(r.amount)}">${h(money(r.amount))}</td></tr>`)
    .join('\n');
  const parts: string[] = [];
  parts.push(`<header><div class="issuer"><strong>${h(ctx.issuer.name)}</strong><br>${lines(issuerBlock(ctx.issuer, ctx.lang).slice(1))}</div></header>`);
  parts.push(`<section class="to" data-iso3="${h(inv.iso3)}"><div class="label">${h(m.to)}</div><div class="state"><strong>${h(state)}</strong></div><div>${lines(missionBlock(ctx.mission, ctx.lang))}</div></section>`);
  parts.push(`<h1>${h(invoiceTitle(m, inv))}</h1>`);
  parts.push(`<table class="meta">${meta.map(([k, v, cls]) => `<tr><th>${h(k)}</th><td${cls ? ` class="${cls}"` : ''}>${h(v)}</td></tr>`).join('')}</table>`);
  if (inv.replaces) parts.push(`<p class="replaces">${h(inv.kind === 'invoice' ? m.replaces(inv.replaces) : m.cancels(inv.replaces))}</p>`);
  parts.push(`<p class="subject"><strong>${h(m.subject(state, inv.year))}</strong></p>`);
  parts.push(`<table class="lines"><thead><tr><th>${h(m.description)}</th><th class="num">${h(m.amount)}</th></tr></thead><tbody>\n${rows}\n</tbody></table>`);
  if (inv.kind === 'invoice') {
    const b = ctx.issuer.bank;
    const pay =
      inv.total > 0n
        ? `<p>${h(m.payBy(money(inv.total), formatIsoDate(m, inv.due)))}</p>
<table class="meta"><tr><th>${h(m.accountHolder)}</th><td>${h(b.holder)}</td></tr><tr><th>${h(m.bank)}</th><td>${h(b.name)}</td></tr><tr><th>${h(m.iban)}</th><td class="ref">${h(printIban(b.iban))}</td></tr><tr><th>${h(m.bic)}</th><td class="ref">${h(b.bic)}</td></tr><tr><th>${h(m.reference)}</th><td class="ref">${h(inv.reference)}</td></tr></table>
<p>${h(m.quoteReference)}</p>`
        : `<p>${h(m.nothingToPay)}</p>`;
    parts.push(`<section class="pay"><h2>${h(m.howToPay)}</h2>\n${pay}</section>`);
    if (e) parts.push(`<section class="note"><h2>${h(m.noteTitle)}</h2>\n${notePlain(m, e, ctx).map((p) => `<p>${h(p)}</p>`).join('\n')}</section>`);
    parts.push(`<section class="account"><h2>${h(m.owedTitle)}</h2>\n${accountPlain(m, inv).map((p) => `<p>${h(p)}</p>`).join('\n')}\n<p>${h(m.contact(ctx.issuer.contact, ctx.issuer.email, ctx.issuer.phone))}</p></section>`);
    if (ctx.qrSvg && inv.total > 0n) parts.push(`<section class="qr" dir="ltr"><h2 dir="${m.dir}">${h(m.qrBill)}</h2>\n${ctx.qrSvg}</section>`);
  }
  parts.push(`<footer>${h(m.generated(ctx.version))}</footer>`);
  return html(ctx.lang, m, `${invoiceTitle(m, inv)} — ${state}`, parts.join('\n'), ctx.version);
}

export function invoiceMarkdown(inv: Invoice, e: Explanation | undefined, ctx: DocumentContext): string {
  const m = messagesFor(ctx.lang);
  const state = countryName(inv.iso3, ctx.lang, ctx.names);
  const money = (c: Cents) => m.money(cents(c), inv.currency);
  const t = mdText;
  const out: string[] = [];
  out.push(`# ${t(invoiceTitle(m, inv))}`, '');
  out.push(`**${t(ctx.issuer.name)}**  `, ...issuerBlock(ctx.issuer, ctx.lang).slice(1).map((s) => `${t(s)}  `), '');
  out.push(`*${t(m.to)}*  `, `**${t(state)}**  `, ...missionBlock(ctx.mission, ctx.lang).map((s) => `${t(s)}  `), '');
  const meta: [string, string][] = [
    [inv.kind === 'invoice' ? m.invoiceNumber : m.creditNoteNumber, inv.number],
    [m.issueDate, formatIsoDate(m, inv.issued)],
  ];
  if (inv.kind === 'invoice') meta.push([m.dueDate, formatIsoDate(m, inv.due)]);
  meta.push([m.currency, inv.currency], [m.reference, inv.reference]);
  out.push(mdTable([{ title: '' }, { title: '' }], meta).trimEnd(), '');
  if (inv.replaces) out.push(t(inv.kind === 'invoice' ? m.replaces(inv.replaces) : m.cancels(inv.replaces)), '');
  out.push(`**${t(m.subject(state, inv.year))}**`, '');
  const rows = invoiceRows(m, inv, ctx).map((r) => [r.cls === 'total' ? `**${r.label}**` : r.label, r.cls === 'total' ? `**${money(r.amount)}**` : money(r.amount)]);
  // mdTable escapes its cells; the bold markers of the total are added after.
  const table = mdTable([{ title: m.description }, { title: m.amount, align: 'right' }], rows.map((r) => r.map((c) => c.replace(/^\*\*|\*\*$/g, ''))));
  const tl = table.trimEnd().split('\n');
  tl[tl.length - 1] = tl[tl.length - 1]!.replace(/^\| (.*) \| (.*) \|$/, '| **$1** | **$2** |');
  out.push(tl.join('\n'), '');
  if (inv.kind === 'invoice') {
    out.push(`## ${t(m.howToPay)}`, '');
    if (inv.total > 0n) {
      const b = ctx.issuer.bank;
      out.push(t(m.payBy(money(inv.total), formatIsoDate(m, inv.due))), '');
      out.push(mdTable([{ title: '' }, { title: '' }], [[m.accountHolder, b.holder], [m.bank, b.name], [m.iban, printIban(b.iban)], [m.bic, b.bic], [m.reference, inv.reference]]).trimEnd(), '');
      out.push(t(m.quoteReference), '');
    } else out.push(t(m.nothingToPay), '');
    if (e) out.push(`## ${t(m.noteTitle)}`, '', ...notePlain(m, e, ctx).flatMap((p) => [t(p), '']));
    out.push(`## ${t(m.owedTitle)}`, '', ...accountPlain(m, inv).flatMap((p) => [t(p), '']), t(m.contact(ctx.issuer.contact, ctx.issuer.email, ctx.issuer.phone)), '');
  }
  out.push('---', '', `*${t(m.generated(ctx.version))}*`, '');
  return out.join('\n');
}

/** The file name of a document: ISO3 and number only (both checked), so never a path. */
export function documentFile(iso3: string, number: string, ext: string): string {
  if (!/^[A-Z]{3}$/.test(iso3) || !/^[A-Za-z0-9-]+$/.test(number)) throw new Error(`unsafe document name ${iso3} ${number}`);
  return `${iso3}-${number}.${ext}`;
}

export interface IndexEntry {
  invoice: Invoice;
  lang: Lang;
  name: string;
  files: string[];
}

export function indexHtml(year: number, entries: IndexEntry[], version: string): string {
  const m = messagesFor('en');
  const h = escapeHtml;
  const rows = entries
    .map((x) => {
      const links = x.files.map((f) => `<a href="${h(encodeURI(f))}">${h(f.slice(f.lastIndexOf('.') + 1).toUpperCase())}</a>`).join(' ');
      return `<tr><td>${h(x.invoice.number)}</td><td>${h(x.invoice.kind)}</td><td>${h(x.invoice.iso3)}</td><td>${h(x.name)}</td><td>${h(messagesFor(x.lang).name)}</td><td class="num" data-amount="${cents(x.invoice.total)}">${h(m.money(cents(x.invoice.total), x.invoice.currency))}</td><td class="ref">${h(x.invoice.reference)}</td><td>${links}</td></tr>`;
    })
    .join('\n');
  // Due: the invoices of the run (a credit note cancels an earlier one; it is listed, not added).
  const total = entries.reduce((s, x) => s + (x.invoice.kind === 'invoice' ? x.invoice.total : 0n), 0n);
  const body = `<h1>${h(m.indexTitle(year))}</h1>
<table class="lines"><thead><tr><th>${h(m.invoiceNumber)}</th><th>kind</th><th>ISO3</th><th>${h(m.state)}</th><th>${h(m.language)}</th><th class="num">${h(m.totalDue)}</th><th>${h(m.reference)}</th><th>${h(m.document)}</th></tr></thead><tbody>
${rows}
<tr class="total"><td colspan="5">${h(m.totalDue)}</td><td class="num" data-amount="${cents(total)}">${h(m.money(cents(total), 'CHF'))}</td><td colspan="2"></td></tr>
</tbody></table>
<footer>${h(m.generated(version))}</footer>`;
  return html('en', m, m.indexTitle(year), body, version);
}

/** The register as CSV (every row issued for the year, in the order issued). */
export function registerCsv(rows: RegisterRow[], dialect: CsvDialect): string {
  const cols = [
    { title: 'number', kind: 'text' as const },
    { title: 'kind', kind: 'text' as const },
    { title: 'iso3', kind: 'text' as const },
    { title: 'year', kind: 'number' as const },
    { title: 'issued', kind: 'text' as const },
    { title: 'due', kind: 'text' as const },
    { title: 'language', kind: 'text' as const },
    { title: 'currency', kind: 'text' as const },
    { title: 'contributions', kind: 'number' as const },
    { title: 'arrears', kind: 'number' as const },
    { title: 'credits', kind: 'number' as const },
    { title: 'total', kind: 'number' as const },
    { title: 'reference', kind: 'text' as const },
    { title: 'replaces', kind: 'text' as const },
  ];
  return toCsv(cols, rows.map((r) => [r.number, r.kind, r.iso3, String(r.year), r.issued, r.due, r.language, r.currency, cents(r.contributions), cents(r.arrears), cents(r.credits), cents(r.total), r.reference, r.replaces]), dialect);
}

export type LetterContext = Pick<DocumentContext, 'issuer' | 'mission' | 'lang' | 'names' | 'version'>;

function reminderTable(m: Messages, r: Reminder): { head: string[]; rows: string[][]; amounts: (Cents | null)[][] } {
  const money = (c: Cents) => m.money(cents(c), 'CHF');
  const head = [m.year, m.invoiceCol, m.dueSince, m.assessed, m.paid, m.outstanding, m.reference];
  const rows = r.items.map((i) => [String(i.year), i.invoice, formatIsoDate(m, i.dueSince), money(i.assessed), money(i.settled), money(i.outstanding), i.reference]);
  const amounts = r.items.map((i) => [null, null, null, i.assessed, i.settled, i.outstanding, null]);
  return { head, rows, amounts };
}

export function reminderTitle(m: Messages, r: Reminder): string {
  return `${m.reminderLevel(r.level)}`;
}

export function reminderHtml(r: Reminder, ctx: LetterContext): string {
  const m = messagesFor(ctx.lang);
  const h = escapeHtml;
  const state = countryName(r.iso3, ctx.lang, ctx.names);
  const lines = (xs: string[]) => xs.map((x) => `<bdi>${h(x)}</bdi>`).join('<br>');
  const t = reminderTable(m, r);
  const numeric = new Set([3, 4, 5]);
  const body = t.rows
    .map((row, i) => `<tr>${row.map((c, k) => (numeric.has(k) ? `<td class="num" data-amount="${cents(t.amounts[i]![k]!)}">${h(c)}</td>` : `<td${k === 6 ? ' class="ref"' : ''}>${h(c)}</td>`)).join('')}</tr>`)
    .join('\n');
  const b = ctx.issuer.bank;
  const parts = [
    `<header><div class="issuer"><strong>${h(ctx.issuer.name)}</strong><br>${lines(issuerBlock(ctx.issuer, ctx.lang).slice(1))}</div></header>`,
    `<section class="to" data-iso3="${h(r.iso3)}"><div class="label">${h(m.to)}</div><div class="state"><strong>${h(state)}</strong></div><div>${lines(missionBlock(ctx.mission, ctx.lang))}</div></section>`,
    `<h1>${h(reminderTitle(m, r))}</h1>`,
    `<table class="meta"><tr><th>${h(m.issueDate)}</th><td>${h(formatIsoDate(m, r.asOf))}</td></tr></table>`,
    `<p class="subject"><strong>${h(m.reminderSubject(state))}</strong></p>`,
    `<p>${h(m.reminderOpening(r.level, formatIsoDate(m, r.asOf)))}</p>`,
    `<table class="lines"><thead><tr>${t.head.map((c, k) => `<th${numeric.has(k) ? ' class="num"' : ''}>${h(c)}</th>`).join('')}</tr></thead><tbody>\n${body}\n<tr class="total"><td colspan="5">${h(m.totalOutstanding)}</td><td class="num" data-amount="${cents(r.total)}">${h(m.money(cents(r.total), 'CHF'))}</td><td></td></tr>\n</tbody></table>`,
    `<section class="pay"><h2>${h(m.howToPay)}</h2>\n<table class="meta"><tr><th>${h(m.accountHolder)}</th><td>${h(b.holder)}</td></tr><tr><th>${h(m.bank)}</th><td>${h(b.name)}</td></tr><tr><th>${h(m.iban)}</th><td class="ref">${h(printIban(b.iban))}</td></tr><tr><th>${h(m.bic)}</th><td class="ref">${h(b.bic)}</td></tr></table>\n<p>${h(m.quoteReferences)}</p></section>`,
    `<p>${h(m.reminderClosing)}</p>`,
    `<p>${h(m.contactLetter(ctx.issuer.contact, ctx.issuer.email, ctx.issuer.phone))}</p>`,
    `<footer>${h(m.generated(ctx.version))}</footer>`,
  ];
  return html(ctx.lang, m, `${reminderTitle(m, r)} — ${state}`, parts.join('\n'), ctx.version);
}

export function reminderMarkdown(r: Reminder, ctx: LetterContext): string {
  const m = messagesFor(ctx.lang);
  const t = mdText;
  const state = countryName(r.iso3, ctx.lang, ctx.names);
  const tab = reminderTable(m, r);
  const b = ctx.issuer.bank;
  return [
    `# ${t(reminderTitle(m, r))}`,
    '',
    `**${t(ctx.issuer.name)}**  `,
    ...issuerBlock(ctx.issuer, ctx.lang).slice(1).map((s) => `${t(s)}  `),
    '',
    `*${t(m.to)}*  `,
    `**${t(state)}**  `,
    ...missionBlock(ctx.mission, ctx.lang).map((s) => `${t(s)}  `),
    '',
    mdTable([{ title: '' }, { title: '' }], [[m.issueDate, formatIsoDate(m, r.asOf)]]).trimEnd(),
    '',
    `**${t(m.reminderSubject(state))}**`,
    '',
    t(m.reminderOpening(r.level, formatIsoDate(m, r.asOf))),
    '',
    mdTable(
      tab.head.map((c, k) => ({ title: c, ...(k >= 3 && k <= 5 ? { align: 'right' as const } : {}) })),
      [...tab.rows, [m.totalOutstanding, '', '', '', '', m.money(cents(r.total), 'CHF'), '']],
    ).trimEnd(),
    '',
    `## ${t(m.howToPay)}`,
    '',
    mdTable([{ title: '' }, { title: '' }], [[m.accountHolder, b.holder], [m.bank, b.name], [m.iban, printIban(b.iban)], [m.bic, b.bic]]).trimEnd(),
    '',
    t(m.quoteReferences),
    '',
    t(m.reminderClosing),
    '',
    t(m.contactLetter(ctx.issuer.contact, ctx.issuer.email, ctx.issuer.phone)),
    '',
    '---',
    '',
    `*${t(m.generated(ctx.version))}*`,
    '',
  ].join('\n');
}

/** The list of reminders sent, as CSV. */
export function remindersCsv(rs: { reminder: Reminder; lang: Lang; file: string }[], dialect: CsvDialect): string {
  const cols = [
    { title: 'iso3', kind: 'text' as const },
    { title: 'as_of', kind: 'text' as const },
    { title: 'level', kind: 'number' as const },
    { title: 'language', kind: 'text' as const },
    { title: 'oldest_year', kind: 'number' as const },
    { title: 'invoices', kind: 'text' as const },
    { title: 'outstanding', kind: 'number' as const },
    { title: 'document', kind: 'text' as const },
  ];
  return toCsv(cols, rs.map((x) => [x.reminder.iso3, x.reminder.asOf, String(x.reminder.level), x.lang, String(x.reminder.items[0]!.year), x.reminder.items.map((i) => i.invoice).join(' '), cents(x.reminder.total), x.file]), dialect);
}
