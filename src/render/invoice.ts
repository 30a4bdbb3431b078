/**
 * Invoices, credit notes, reminders and acknowledgements of payment, as notes verbales: self-
 * contained print-ready HTML (A4, no external resource) and Markdown, in the document's language
 * (docs/invoices.md). Each has the letterhead, the reference number, the place and date line,
 * the courtesy formulas of the language (i18n/letters.ts), the signature block (isu.yaml
 * `letter:`), and, in print, the document number and "page x of y" on every page.
 *
 * The note that explains the amount is written from the `explain` trace, so the two cannot
 * disagree; it names categories by their display names (the policy's `display:`), never by the
 * policy's identifiers. The full trace can be added as a technical annex (--annex).
 *
 * Every amount cell carries its machine value in `data-amount` (the same in every language);
 * every text that comes from the books is escaped where it is written, never before. Amounts,
 * dates, references and telephone numbers are never broken across lines (nowrap spans).
 */
import type { Acknowledgement } from '../core/acknowledgement.js';
import { D } from '../core/decimal.js';
import { centsToString, type Cents } from '../core/ledger.js';
import type { Invoice, RegisterRow } from '../core/invoice.js';
import type { Reminder } from '../core/reminder.js';
import type { Issuer, Mission } from '../io/invoice.js';
import type { Explanation } from './explain.js';
import { countryName, countryOfAddress, formatIsoDate, messagesFor } from './i18n/index.js';
import { lettersFor, type Letters } from './i18n/letters.js';
import type { Basis, Lang, Messages, RoundingMethod } from './i18n/types.js';
import { toCsv, type CsvDialect } from './csv.js';
import { QRBILL_STYLE } from './qrbill.js';
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
  bases: Map<string, Basis>;
  /** Each invoiced category's name for readers, by language (the policy's `display:`). */
  display: Map<string, Partial<Record<string, string>>>;
  /** The years of the UN scale the year uses, e.g. "2025–2027". */
  scalePeriod: string;
  version: string;
  /** The Swiss QR-bill slip (render/qrbill.ts), when the State gets one. */
  qrHtml?: string;
  /** The technical annex (the `explain` trace as text), when asked for. */
  annex?: string;
}

export { escapeHtml };

const cents = (c: Cents) => centsToString(c);

/** A percentage for a reader: at most 4 decimals, trailing zeros dropped ("0.0096955986" → "0.0097"). */
export function readablePercent(s: string): string {
  const r = D(s).toDecimalPlaces(4).toFixed();
  return r === '0' && !D(s).isZero() ? D(s).toSignificantDigits(2).toFixed() : r;
}

/** The name of a category in the document's language: the policy's display name, else one by its basis. */
export function categoryName(m: Messages, ctx: Pick<DocumentContext, 'display' | 'bases'>, id: string): string {
  return ctx.display.get(id)?.[m.lang] ?? m.basisName(ctx.bases.get(id) ?? 'scale');
}

/** The note, as paragraphs of plain text (escaped by the caller). */
export function notePlain(m: Messages, e: Explanation, ctx: Pick<DocumentContext, 'rounding' | 'shares' | 'bases' | 'display' | 'scalePeriod'>): string[] {
  const money = (s: string) => m.money(s, e.currency);
  const out: string[] = [m.budget(money(e.budget), e.year)];
  const facts: string[] = [];
  if (e.rate !== null) facts.push(e.rateSource === 'notional' ? m.notionalRate(m.percent(e.rate)) : m.unRate(m.percent(e.rate), ctx.scalePeriod));
  if (e.ldc) facts.push(m.ldc);
  if (e.months < 12) facts.push(m.proRata(e.months, e.year));
  if (facts.length) out.push(facts.join(m.lang === 'zh' ? '' : ' '));
  for (const s of e.steps) {
    const basis = ctx.bases.get(s.category);
    if (!basis) continue; // not invoiced (voluntary): not part of this invoice
    const share = ctx.shares.get(s.category) ?? null;
    const parts = [m.categoryRule(basis, categoryName(m, ctx, s.category), share === null ? null : m.percent(readablePercent(share)), money(s.categoryAmount), s.members)];
    if (s.fixedSharePct !== null) parts.push(m.fixedShare(m.percent(readablePercent(s.fixedSharePct))));
    else if (basis === 'scale' && s.adjustedRatePct !== null && !s.bound && s.renormalisedSharePct === null) parts.push(m.adjustedShare(m.percent(readablePercent(s.adjustedRatePct))));
    // A bound can be a fraction of a centime (0.01 % of the budget, CHF 61.825): it is shown
    // exactly, as rounding it would contradict the shares rounded to either side of it.
    if (s.bound) parts.push(m.bound(s.bound.kind as 'min' | 'max' | 'ldc_max', money(s.bound.limit)));
    else if (s.renormalisedSharePct !== null) parts.push(m.renormalised(m.percent(readablePercent(s.renormalisedSharePct)), s.heldAtBounds));
    parts.push(m.quota(money(s.rounded)));
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

function invoiceRows(m: Messages, inv: Invoice, ctx: Pick<DocumentContext, 'bases' | 'display'>): Row[] {
  if (inv.kind === 'credit-note') {
    return [
      { label: m.contributions(inv.year), amount: inv.contributions },
      { label: m.arrearsTotal, amount: inv.arrearsTotal },
      { label: m.creditsApplied, amount: -inv.credits },
      { label: m.totalDue, amount: inv.total, cls: 'total' },
    ];
  }
  const rows: Row[] = inv.lines.map((l) => ({ label: m.categoryLine(categoryName(m, ctx, l.category), inv.year), amount: l.amount }));
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

const FONTS = `"Noto Sans","Noto Sans Arabic","Noto Naskh Arabic","Noto Sans CJK SC","Noto Sans SC","Noto Sans CJK JP",sans-serif`;

const STYLE = `*{box-sizing:border-box}
body{font-family:${FONTS};font-size:9pt;line-height:1.32;color:#111;margin:0}
:lang(zh) body,body:lang(zh){font-family:"Noto Sans CJK SC","Noto Sans SC","Noto Sans",sans-serif}
header.letterhead{display:flex;justify-content:space-between;align-items:flex-start;gap:6mm;border-bottom:1.5pt solid #1f3a5f;padding-bottom:2.5mm;margin-bottom:3mm}
header .org{font-size:10pt;color:#1f3a5f;line-height:1.3;flex:none;white-space:nowrap}
header .org strong{font-size:11.5pt}
header .addr{font-size:7.5pt;color:#333;text-align:end;line-height:1.35;flex:1}
.head2{display:flex;justify-content:space-between;align-items:flex-start;gap:6mm;margin:0 0 3mm}
.refline{text-align:end}
.to{margin:0}
.label{font-size:8pt;color:#555}
h1{font-size:12.5pt;margin:0 0 2.5mm;color:#1f3a5f;text-align:center;letter-spacing:0.02em}
h2{font-size:10.5pt;margin:3mm 0 1mm;color:#1f3a5f;break-after:avoid}
p{margin:0 0 1.5mm}
.opening,.closing{text-align:justify}
table{border-collapse:collapse;width:100%}
table.meta{width:auto;margin-bottom:2mm}
table.meta th{text-align:start;font-weight:normal;color:#555;padding:0.3mm 6mm 0.3mm 0;white-space:nowrap}
[dir=rtl] table.meta th{padding:0.3mm 0 0.3mm 6mm}
table.meta td{white-space:nowrap}
table.lines{margin:1mm 0 2mm}
table.grid{width:auto;margin:0 0 1.5mm}
table.grid th{font-weight:normal;color:#555;font-size:8pt;text-align:start;padding:0 6mm 0 0}
[dir=rtl] table.grid th,[dir=rtl] table.grid td{padding:0 0 0 6mm}
table.grid td{white-space:nowrap;padding:0 6mm 0 0}
table.lines th,table.lines td{padding:1mm 1.5mm;border-bottom:0.5pt solid #ccc;text-align:start;vertical-align:top}
table.lines th{font-size:8.5pt;color:#333}
table.lines .num,table.lines th.num{text-align:end;white-space:nowrap;width:1%}
table.lines td.nw{white-space:nowrap;width:1%}
table.small{font-size:8.5pt}
tr.sub td{border-top:0.75pt solid #888}
tr.total td{font-weight:bold;border-top:1.5pt solid #1f3a5f;border-bottom:1.5pt solid #1f3a5f}
.num{font-variant-numeric:tabular-nums;unicode-bidi:isolate;direction:ltr}
.nw{white-space:nowrap;font-variant-numeric:tabular-nums}
.ref{font-family:"Noto Sans Mono","DejaVu Sans Mono",monospace;font-size:0.95em;unicode-bidi:isolate;direction:ltr;white-space:nowrap}
.note,.account{font-size:8.5pt}
.end{break-inside:avoid}
.signature{margin-top:3mm;margin-inline-start:55%;line-height:1.4;break-inside:avoid}
.annex{break-before:page}
.annex pre{font-family:"Noto Sans Mono","DejaVu Sans Mono",monospace;font-size:7.5pt;white-space:pre-wrap;direction:ltr;text-align:left}
section.qr{page:qrbill;break-before:page;position:relative;height:282mm}
section.qr h2{margin-inline:16mm;margin-top:0}
section.qr .qrbill{position:absolute;bottom:0;left:0}
@media screen{body{max-width:210mm;margin:0 auto;padding:8mm}section.qr{height:auto;margin-top:10mm}section.qr .qrbill{position:relative;margin-inline-start:-8mm}}
${QRBILL_STYLE}`;

/** A CSS string literal (for `content:`): only plain text from the catalogues and checked numbers reach it. */
const cssString = (s: string) => `"${s.replace(/[\\"]/g, '\\$&').replace(/[\n\r]/g, ' ')}"`;

/**
 * The page rules: A4, and in the bottom margin of every page the document number and
 * "page x of y" (CSS margin boxes with the page counters, printed by Chromium). The QR-bill page
 * has no side or bottom margin (the slip goes to the edges) and carries them at its top.
 */
function pageStyle(L: Letters, dir: 'ltr' | 'rtl', docNumber: string): string {
  const [a, b, c] = L.pageOf;
  const pages = `${cssString(a)} counter(page) ${cssString(b)} counter(pages) ${cssString(c)}`;
  const start = dir === 'rtl' ? 'right' : 'left';
  const end = dir === 'rtl' ? 'left' : 'right';
  const box = `font-family:${FONTS};font-size:8pt;color:#444;direction:${dir}`;
  return `@page{size:A4;margin:11mm 15mm 14mm;@bottom-${start}{content:${cssString(docNumber)};${box}}@bottom-${end}{content:${pages};${box}}}
@page qrbill{margin:15mm 0 0 0;@bottom-${start}{content:none}@bottom-${end}{content:none}@top-${start}{content:${cssString(docNumber)};${box};margin-${start}:15mm}@top-${end}{content:${pages};${box};margin-${end}:15mm}}`;
}

function html(lang: Lang, m: Messages, title: string, body: string, version: string, page = ''): string {
  return `<!DOCTYPE html>
<html lang="${lang}" dir="${m.dir}">
<head>
<meta charset="utf-8">
<meta name="generator" content="finproc ${escapeHtml(version)}">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(title)}</title>
<style>
${page}${STYLE}
</style>
</head>
<body>
${body}
</body>
</html>
`;
}

/** A text from isu.yaml `letter:` in the language, or the default. */
const pick = (x: Partial<Record<string, string>>, lang: Lang, fallback: string) => x[lang] ?? fallback;

/** The issuer, as written in the language: letterhead lines and address. */
export function issuerIn(i: Issuer, lang: Lang) {
  const L = lettersFor(lang);
  const place = pick(i.letter.place, lang, lang === 'en' ? i.address.town : L.place);
  return {
    convention: pick(i.letter.convention, lang, L.convention),
    unitName: pick(i.letter.unitName, lang, L.unitName),
    unit: pick(i.letter.unit, lang, L.unit),
    place,
    address: [pick(i.letter.careOf, lang, i.careOf), `${i.address.street} ${i.address.building}`, `${i.address.postcode} ${i.address.town}`, countryOfAddress(i.address.country, lang)].filter((s) => s !== ''),
    contact: pick(i.letter.contact, lang, i.contact),
    signatory: pick(i.letter.signatory, lang, `${L.unitName}|${L.convention}`).split('|').map((s) => s.trim()).filter((s) => s !== ''),
  };
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

/** The reference line: "CCM/ISU/FIN/ISU-2026-006". */
export function letterReference(i: Issuer, docNumber: string): string {
  return i.letter.referencePrefix ? `${i.letter.referencePrefix}/${docNumber}` : docNumber;
}

// Money in running text: "CHF 1,234.50", "1 234,50 CHF", "1.234,50 CHF" (with any bidi isolates).
const MONEY = /(?:CHF[\u00a0 ])?-?\d[\d,.'\u00a0\u202f]*\d(?:[\u00a0 ]CHF)?/g;

/**
 * Escapes a paragraph and keeps together what must not break: amounts with their currency, and
 * the given strings (dates, references, telephone numbers, e-mail), each in a left-to-right
 * nowrap span where it is Latin (a telephone number in Arabic keeps its order and its line).
 */
function para(text: string, keep: string[]): string {
  // Text from the books with private-use characters gets no spans (they mark the placeholders).
  if (/[\uE000-\uEFFF]/.test(text)) return escapeHtml(text);
  let out = escapeHtml(text);
  const marks: string[] = [];
  // Placeholders of private-use characters, which no pattern below can match (digits could).
  const hold = (s: string) => {
    marks.push(s);
    return `\uE000${String.fromCharCode(0xe100 + marks.length - 1)}`;
  };
  for (const k of [...new Set(keep.filter((x) => x !== ''))].sort((a, b) => b.length - a.length)) {
    const e = escapeHtml(k);
    const ltr = /^[\x20-\x7e]+$/.test(k) && /[A-Za-z0-9]/.test(k);
    out = out.split(e).join(hold(ltr ? `<bdi class="nw" dir="ltr">${e}</bdi>` : `<span class="nw">${e}</span>`));
  }
  out = out.replace(MONEY, (x) => (/\d{3}|CHF/.test(x) ? hold(`<span class="nw">${x}</span>`) : x));
  return out.replace(/\uE000([\uE100-\uEFFF])/g, (_, c: string) => marks[c.charCodeAt(0) - 0xe100]!);
}

interface LetterParts {
  lang: Lang;
  issuer: Issuer;
  mission: Mission;
  state: string;
  docNumber: string;
  date: string;
  title: string;
  opening: string;
  body: string[];
  keep: string[];
  /** What comes after the closing formula and signature (annex, QR-bill page). */
  after?: string[];
}

/** The frame of every note verbale: letterhead, reference and date, addressee, title, opening, body, closing, signature. */
function letterHtml(x: LetterParts, version: string, htmlTitle: string): string {
  const m = messagesFor(x.lang);
  const L = lettersFor(x.lang);
  const I = issuerIn(x.issuer, x.lang);
  const h = escapeHtml;
  const lines = (xs: string[]) => xs.map((s) => `<bdi>${h(s)}</bdi>`).join('<br>');
  const keep = [...x.keep, x.issuer.phone, x.issuer.email, x.docNumber];
  const parts: string[] = [];
  parts.push(
    `<header class="letterhead"><div class="org"><strong>${h(I.convention)}</strong><br>${h(I.unitName)}</div><div class="addr">${lines(I.address)}<br><bdi class="nw" dir="ltr">${h(x.issuer.phone)}</bdi> · <bdi class="nw" dir="ltr">${h(x.issuer.email)}</bdi></div></header>`,
  );
  parts.push(
    `<div class="head2"><section class="to" data-iso3="${h(x.mission.iso3)}"><div class="state"><strong>${h(x.state)}</strong></div><div>${lines(missionBlock(x.mission, x.lang))}</div></section><div class="refline"><div class="nw">${h(L.ref)} <span class="ref">${h(letterReference(x.issuer, x.docNumber))}</span></div><div class="nw">${h(L.placeDate(I.place, formatIsoDate(m, x.date)))}</div></div></div>`,
  );
  parts.push(`<h1>${h(L.noteVerbale)}</h1>`);
  parts.push(`<p class="opening">${para(x.opening, keep)}</p>`);
  parts.push(...x.body);
  // The closing formula and the signature stay together: never a signature alone on a page.
  parts.push(`<div class="end"><p class="closing">${para(L.closing(I.unit, x.state), keep)}</p>
<div class="signature">${I.signatory.map((s) => `<div>${h(s)}</div>`).join('')}</div></div>`);
  parts.push(...(x.after ?? []));
  return html(x.lang, m, htmlTitle, parts.join('\n'), version, pageStyle(L, m.dir, x.docNumber));
}

function payTable(m: Messages, b: Issuer['bank'], reference?: string): string {
  const h = escapeHtml;
  return `<table class="meta"><tr><th>${h(m.accountHolder)}</th><td>${h(b.holder)}</td></tr><tr><th>${h(m.bank)}</th><td>${h(b.name)}</td></tr><tr><th>${h(m.iban)}</th><td class="ref">${h(printIban(b.iban))}</td></tr><tr><th>${h(m.bic)}</th><td class="ref">${h(b.bic)}</td></tr>${reference ? `<tr><th>${h(m.reference)}</th><td class="ref">${h(reference)}</td></tr>` : ''}</table>`;
}

export function invoiceHtml(inv: Invoice, e: Explanation | undefined, ctx: DocumentContext): string {
  const m = messagesFor(ctx.lang);
  const L = lettersFor(ctx.lang);
  const I = issuerIn(ctx.issuer, ctx.lang);
  const state = countryName(inv.iso3, ctx.lang, ctx.names);
  const h = escapeHtml;
  const money = (c: Cents) => m.money(cents(c), inv.currency);
  const dates = [formatIsoDate(m, inv.issued), formatIsoDate(m, inv.due), ...inv.arrears.map((a) => formatIsoDate(m, a.since))];
  const keep = [...dates, inv.number, inv.reference, inv.replaces ?? '', ctx.issuer.phone, ctx.issuer.email];
  const meta: [string, string, string?][] = [[inv.kind === 'invoice' ? m.invoiceNumber : m.creditNoteNumber, inv.number, 'ref']];
  meta.push([m.issueDate, formatIsoDate(m, inv.issued)]);
  if (inv.kind === 'invoice') meta.push([m.dueDate, formatIsoDate(m, inv.due)]);
  meta.push([m.reference, inv.reference, 'ref']);
  const rows = invoiceRows(m, inv, ctx)
    .map((r) => `<tr${r.cls ? ` class="${r.cls}"` : ''}><td>${h(r.label)}</td><td class="num" data-amount="${cents(r.amount)}">${h(r.cls === 'total' ? money(r.amount) : m.number(cents(r.amount)))}</td></tr>`)
    .join('\n');
  const body: string[] = [];
  body.push(`<h2>${h(invoiceTitle(m, inv))}</h2>`);
  body.push(`<table class="grid"><tr>${meta.map(([k]) => `<th>${h(k)}</th>`).join('')}</tr><tr>${meta.map(([, v, cls]) => `<td${cls ? ` class="${cls}"` : ''}>${h(v)}</td>`).join('')}</tr></table>`);
  if (inv.replaces) body.push(`<p class="replaces">${para(inv.kind === 'invoice' ? m.replaces(inv.replaces) : m.cancels(inv.replaces), keep)}</p>`);
  body.push(`<table class="lines"><thead><tr><th>${h(m.description)}</th><th class="num">${h(m.amount)} (${h(inv.currency)})</th></tr></thead><tbody>\n${rows}\n</tbody></table>`);
  const after: string[] = [];
  if (inv.kind === 'invoice') {
    const pay = inv.total > 0n ? `<p>${para(m.payBy(money(inv.total), formatIsoDate(m, inv.due)), keep)}</p>\n${payTable(m, ctx.issuer.bank, inv.reference)}\n<p>${para(m.quoteReference, keep)}</p>` : `<p>${para(m.nothingToPay, keep)}</p>`;
    body.push(`<section class="pay"><h2>${h(m.howToPay)}</h2>\n${pay}</section>`);
    if (e) body.push(`<section class="note"><h2>${h(m.noteTitle)}</h2>\n${notePlain(m, e, ctx).map((p) => `<p>${para(p, keep)}</p>`).join('\n')}</section>`);
    body.push(`<section class="account"><h2>${h(m.owedTitle)}</h2>\n${accountPlain(m, inv).map((p) => `<p>${para(p, keep)}</p>`).join('\n')}\n<p>${para(m.contact(I.contact, ctx.issuer.email, ctx.issuer.phone), keep)}</p></section>`);
    if (ctx.annex) after.push(`<section class="annex" lang="en" dir="ltr"><h2 lang="${ctx.lang}" dir="${m.dir}">${h(L.annexTitle)}</h2><p lang="${ctx.lang}" dir="${m.dir}">${h(L.annexIntro)}</p><pre>${h(ctx.annex)}</pre></section>`);
    if (ctx.qrHtml && inv.total > 0n) after.push(`<section class="qr"><h2 dir="${m.dir}">${h(L.paymentPartFor(inv.number))}</h2>\n${ctx.qrHtml}</section>`);
  }
  const opening = inv.kind === 'invoice' ? L.invoiceOpening(I.unit, state, inv.year, inv.number) : L.creditNoteOpening(I.unit, state, inv.number, inv.replaces ?? '');
  return letterHtml({ lang: ctx.lang, issuer: ctx.issuer, mission: ctx.mission, state, docNumber: inv.number, date: inv.issued, title: invoiceTitle(m, inv), opening, body, keep, after }, ctx.version, `${invoiceTitle(m, inv)} — ${state}`);
}

/** The letterhead, reference, date, addressee and title as Markdown lines. */
function letterMdHead(x: { lang: Lang; issuer: Issuer; mission: Mission; state: string; docNumber: string; date: string }): string[] {
  const m = messagesFor(x.lang);
  const L = lettersFor(x.lang);
  const I = issuerIn(x.issuer, x.lang);
  const t = mdText;
  return [
    `**${t(I.convention)}**  `,
    `**${t(I.unitName)}**  `,
    ...I.address.map((s) => `${t(s)}  `),
    `${t(x.issuer.phone)} · ${t(x.issuer.email)}`,
    '',
    `${t(L.ref)} ${t(letterReference(x.issuer, x.docNumber))}  `,
    t(L.placeDate(I.place, formatIsoDate(m, x.date))),
    '',
    `**${t(x.state)}**  `,
    ...missionBlock(x.mission, x.lang).map((s) => `${t(s)}  `),
    '',
    `# ${t(L.noteVerbale)}`,
    '',
  ];
}

function letterMdTail(x: { lang: Lang; issuer: Issuer; state: string; date: string }): string[] {
  const m = messagesFor(x.lang);
  const L = lettersFor(x.lang);
  const I = issuerIn(x.issuer, x.lang);
  return [mdText(L.closing(I.unit, x.state)), '', ...I.signatory.map((s) => `${mdText(s)}  `), mdText(L.placeDate(I.place, formatIsoDate(m, x.date))), ''];
}

export function invoiceMarkdown(inv: Invoice, e: Explanation | undefined, ctx: DocumentContext): string {
  const m = messagesFor(ctx.lang);
  const L = lettersFor(ctx.lang);
  const I = issuerIn(ctx.issuer, ctx.lang);
  const state = countryName(inv.iso3, ctx.lang, ctx.names);
  const money = (c: Cents) => m.money(cents(c), inv.currency);
  const t = mdText;
  const out: string[] = letterMdHead({ lang: ctx.lang, issuer: ctx.issuer, mission: ctx.mission, state, docNumber: inv.number, date: inv.issued });
  out.push(t(inv.kind === 'invoice' ? L.invoiceOpening(I.unit, state, inv.year, inv.number) : L.creditNoteOpening(I.unit, state, inv.number, inv.replaces ?? '')), '');
  out.push(`## ${t(invoiceTitle(m, inv))}`, '');
  const meta: [string, string][] = [[inv.kind === 'invoice' ? m.invoiceNumber : m.creditNoteNumber, inv.number], [m.issueDate, formatIsoDate(m, inv.issued)]];
  if (inv.kind === 'invoice') meta.push([m.dueDate, formatIsoDate(m, inv.due)]);
  meta.push([m.reference, inv.reference]);
  out.push(mdTable([{ title: '' }, { title: '' }], meta).trimEnd(), '');
  if (inv.replaces) out.push(t(inv.kind === 'invoice' ? m.replaces(inv.replaces) : m.cancels(inv.replaces)), '');
  const rows = invoiceRows(m, inv, ctx).map((r) => [r.label, money(r.amount)]);
  // mdTable escapes its cells; the bold markers of the total are added after.
  const table = mdTable([{ title: m.description }, { title: `${m.amount} (${inv.currency})`, align: 'right' }], rows);
  const tl = table.trimEnd().split('\n');
  tl[tl.length - 1] = tl[tl.length - 1]!.replace(/^\| (.*) \| (.*) \|$/, '| **$1** | **$2** |');
  out.push(tl.join('\n'), '');
  if (inv.kind === 'invoice') {
    out.push(`### ${t(m.howToPay)}`, '');
    if (inv.total > 0n) {
      const b = ctx.issuer.bank;
      out.push(t(m.payBy(money(inv.total), formatIsoDate(m, inv.due))), '');
      out.push(mdTable([{ title: '' }, { title: '' }], [[m.accountHolder, b.holder], [m.bank, b.name], [m.iban, printIban(b.iban)], [m.bic, b.bic], [m.reference, inv.reference]]).trimEnd(), '');
      out.push(t(m.quoteReference), '');
    } else out.push(t(m.nothingToPay), '');
    if (e) out.push(`### ${t(m.noteTitle)}`, '', ...notePlain(m, e, ctx).flatMap((p) => [t(p), '']));
    out.push(`### ${t(m.owedTitle)}`, '', ...accountPlain(m, inv).flatMap((p) => [t(p), '']), t(m.contact(I.contact, ctx.issuer.email, ctx.issuer.phone)), '');
  }
  out.push(...letterMdTail({ lang: ctx.lang, issuer: ctx.issuer, state, date: inv.issued }));
  if (ctx.annex && inv.kind === 'invoice') out.push(`## ${t(L.annexTitle)}`, '', t(L.annexIntro), '', '~~~text', ctx.annex.replace(/~~~/g, '~ ~ ~'), '~~~', '');
  return out.join('\n');
}

export type LetterContext = Pick<DocumentContext, 'issuer' | 'mission' | 'lang' | 'names' | 'version'>;

function reminderTable(m: Messages, r: Reminder): { head: string[]; rows: string[][]; amounts: (Cents | null)[][] } {
  const money = (c: Cents) => m.number(cents(c));
  const head = [m.year, m.invoiceCol, m.dueSince, m.assessed, m.paid, m.outstanding, m.reference];
  const rows = r.items.map((i) => [String(i.year), i.invoice, formatIsoDate(m, i.dueSince), money(i.assessed), money(i.settled), money(i.outstanding), i.reference]);
  const amounts = r.items.map((i) => [null, null, null, i.assessed, i.settled, i.outstanding, null]);
  return { head, rows, amounts };
}

export function reminderTitle(m: Messages, r: Reminder): string {
  return `${m.reminderLevel(r.level)}`;
}

/** A reminder's document number (its file name without the extension): ISO3-reminder-DATE. */
export function reminderNumber(r: Reminder): string {
  return `${r.iso3}-reminder-${r.asOf}`;
}

export function reminderHtml(r: Reminder, ctx: LetterContext): string {
  const m = messagesFor(ctx.lang);
  const L = lettersFor(ctx.lang);
  const I = issuerIn(ctx.issuer, ctx.lang);
  const h = escapeHtml;
  const state = countryName(r.iso3, ctx.lang, ctx.names);
  const t = reminderTable(m, r);
  const numeric = new Set([3, 4, 5]);
  const rows = t.rows
    .map((row, i) => `<tr>${row.map((c, k) => (numeric.has(k) ? `<td class="num" data-amount="${cents(t.amounts[i]![k]!)}">${h(c)}</td>` : `<td class="${k === 6 || k === 1 ? 'ref' : 'nw'}">${h(c)}</td>`)).join('')}</tr>`)
    .join('\n');
  const keep = [formatIsoDate(m, r.asOf), ...r.items.flatMap((i) => [i.invoice, i.reference]), ctx.issuer.phone, ctx.issuer.email];
  const body = [
    `<h2>${h(reminderTitle(m, r))}</h2>`,
    `<table class="lines small"><thead><tr>${t.head.map((c, k) => `<th${numeric.has(k) ? ' class="num"' : ''}>${h(c)}${numeric.has(k) ? ` (CHF)` : ''}</th>`).join('')}</tr></thead><tbody>\n${rows}\n<tr class="total"><td colspan="5">${h(m.totalOutstanding)}</td><td class="num" data-amount="${cents(r.total)}">${h(m.money(cents(r.total), 'CHF'))}</td><td></td></tr>\n</tbody></table>`,
    `<section class="pay"><h2>${h(m.howToPay)}</h2>\n${payTable(m, ctx.issuer.bank)}\n<p>${para(m.quoteReferences, keep)}</p></section>`,
    `<p>${para(m.reminderClosing, keep)}</p>`,
    `<p>${para(m.contactLetter(I.contact, ctx.issuer.email, ctx.issuer.phone), keep)}</p>`,
  ];
  return letterHtml({ lang: ctx.lang, issuer: ctx.issuer, mission: ctx.mission, state, docNumber: reminderNumber(r), date: r.asOf, title: reminderTitle(m, r), opening: L.reminderOpening(r.level, I.unit, state, formatIsoDate(m, r.asOf)), body, keep }, ctx.version, `${reminderTitle(m, r)} — ${state}`);
}

export function reminderMarkdown(r: Reminder, ctx: LetterContext): string {
  const m = messagesFor(ctx.lang);
  const L = lettersFor(ctx.lang);
  const I = issuerIn(ctx.issuer, ctx.lang);
  const t = mdText;
  const state = countryName(r.iso3, ctx.lang, ctx.names);
  const tab = reminderTable(m, r);
  const b = ctx.issuer.bank;
  return [
    ...letterMdHead({ lang: ctx.lang, issuer: ctx.issuer, mission: ctx.mission, state, docNumber: reminderNumber(r), date: r.asOf }),
    t(L.reminderOpening(r.level, I.unit, state, formatIsoDate(m, r.asOf))),
    '',
    `## ${t(reminderTitle(m, r))}`,
    '',
    mdTable(
      tab.head.map((c, k) => ({ title: k >= 3 && k <= 5 ? `${c} (CHF)` : c, ...(k >= 3 && k <= 5 ? { align: 'right' as const } : {}) })),
      [...tab.rows, [m.totalOutstanding, '', '', '', '', m.money(cents(r.total), 'CHF'), '']],
    ).trimEnd(),
    '',
    `### ${t(m.howToPay)}`,
    '',
    mdTable([{ title: '' }, { title: '' }], [[m.accountHolder, b.holder], [m.bank, b.name], [m.iban, printIban(b.iban)], [m.bic, b.bic]]).trimEnd(),
    '',
    t(m.quoteReferences),
    '',
    t(m.reminderClosing),
    '',
    t(m.contactLetter(I.contact, ctx.issuer.email, ctx.issuer.phone)),
    '',
    ...letterMdTail({ lang: ctx.lang, issuer: ctx.issuer, state, date: r.asOf }),
  ].join('\n');
}

/** The file of an acknowledgement: ISO3-ack-PAYMENT.ext. */
export function acknowledgementFile(a: Acknowledgement, ext: string): string {
  return documentFile(a.iso3, `ack-${a.payment.id}`, ext);
}

/** An acknowledgement's document number: ISO3-ack-PAYMENT (the payment id checked by documentFile). */
export function acknowledgementNumber(a: Acknowledgement): string {
  return `${a.iso3}-ack-${a.payment.id}`;
}

function ackRows(m: Messages, L: Letters, a: Acknowledgement): { head: string[]; rows: [string, string, Cents][] } {
  return { head: [m.year, L.appliedTo, m.amount], rows: a.applied.map((x) => [String(x.year), x.invoice, x.amount]) };
}

export function acknowledgementHtml(a: Acknowledgement, ctx: LetterContext): string {
  const m = messagesFor(ctx.lang);
  const L = lettersFor(ctx.lang);
  const I = issuerIn(ctx.issuer, ctx.lang);
  const h = escapeHtml;
  const state = countryName(a.iso3, ctx.lang, ctx.names);
  const date = formatIsoDate(m, a.payment.received);
  const money = (c: Cents) => m.money(cents(c), 'CHF');
  const keep = [date, a.payment.id, a.payment.reference, ...a.applied.map((x) => x.invoice), ctx.issuer.phone, ctx.issuer.email];
  const t = ackRows(m, L, a);
  const meta = `<table class="meta"><tr><th>${h(L.received)}</th><td>${h(date)}</td></tr><tr><th>${h(m.amount)}</th><td class="num" data-amount="${cents(a.payment.chf)}">${h(money(a.payment.chf))}</td></tr>${a.payment.currency !== 'CHF' ? `<tr><th>${h(m.currency)}</th><td class="nw">${h(`${a.payment.amount} ${a.payment.currency}`)}</td></tr>` : ''}${a.payment.reference ? `<tr><th>${h(L.bankReference)}</th><td class="ref">${h(a.payment.reference)}</td></tr>` : ''}</table>`;
  const body = [`<h2>${h(L.ackTitle)}</h2>`, meta];
  if (t.rows.length) {
    body.push(`<p>${para(L.ackApplied, keep)}</p>`);
    body.push(`<table class="lines"><thead><tr><th>${h(t.head[0]!)}</th><th>${h(t.head[1]!)}</th><th class="num">${h(t.head[2]!)} (CHF)</th></tr></thead><tbody>\n${t.rows.map(([y, inv, c]) => `<tr><td class="nw">${h(y)}</td><td class="ref">${h(inv)}</td><td class="num" data-amount="${cents(c)}">${h(m.number(cents(c)))}</td></tr>`).join('\n')}\n</tbody></table>`);
  }
  if (a.credit > 0n) body.push(`<p>${para(L.ackCredit(money(a.credit)), keep)}</p>`);
  body.push(`<p>${para(a.outstanding > 0n ? L.ackBalance(money(a.outstanding), date) : L.ackSettled(date), keep)}</p>`);
  body.push(`<p>${para(m.contactLetter(I.contact, ctx.issuer.email, ctx.issuer.phone), keep)}</p>`);
  return letterHtml({ lang: ctx.lang, issuer: ctx.issuer, mission: ctx.mission, state, docNumber: acknowledgementNumber(a), date: a.payment.received, title: L.ackTitle, opening: L.ackOpening(I.unit, state, money(a.payment.chf), date), body, keep }, ctx.version, `${L.ackTitle} — ${state}`);
}

export function acknowledgementMarkdown(a: Acknowledgement, ctx: LetterContext): string {
  const m = messagesFor(ctx.lang);
  const L = lettersFor(ctx.lang);
  const I = issuerIn(ctx.issuer, ctx.lang);
  const t = mdText;
  const state = countryName(a.iso3, ctx.lang, ctx.names);
  const date = formatIsoDate(m, a.payment.received);
  const money = (c: Cents) => m.money(cents(c), 'CHF');
  const r = ackRows(m, L, a);
  const out = [...letterMdHead({ lang: ctx.lang, issuer: ctx.issuer, mission: ctx.mission, state, docNumber: acknowledgementNumber(a), date: a.payment.received }), t(L.ackOpening(I.unit, state, money(a.payment.chf), date)), '', `## ${t(L.ackTitle)}`, ''];
  out.push(mdTable([{ title: '' }, { title: '' }], [[L.received, date], [m.amount, money(a.payment.chf)], ...(a.payment.reference ? [[L.bankReference, a.payment.reference]] : [])]).trimEnd(), '');
  if (r.rows.length) out.push(t(L.ackApplied), '', mdTable([{ title: r.head[0]! }, { title: r.head[1]! }, { title: `${r.head[2]!} (CHF)`, align: 'right' }], r.rows.map(([y, inv, c]) => [y, inv, money(c)])).trimEnd(), '');
  if (a.credit > 0n) out.push(t(L.ackCredit(money(a.credit))), '');
  out.push(t(a.outstanding > 0n ? L.ackBalance(money(a.outstanding), date) : L.ackSettled(date)), '', t(m.contactLetter(I.contact, ctx.issuer.email, ctx.issuer.phone)), '');
  out.push(...letterMdTail({ lang: ctx.lang, issuer: ctx.issuer, state, date: a.payment.received }));
  return out.join('\n');
}

/** The acknowledgements written, as CSV (the manifest of the run). */
export function acknowledgementsCsv(rs: { ack: Acknowledgement; lang: Lang; file: string }[], dialect: CsvDialect): string {
  const cols = [
    { title: 'iso3', kind: 'text' as const },
    { title: 'payment_id', kind: 'text' as const },
    { title: 'received', kind: 'text' as const },
    { title: 'chf', kind: 'number' as const },
    { title: 'applied', kind: 'number' as const },
    { title: 'credit', kind: 'number' as const },
    { title: 'outstanding', kind: 'number' as const },
    { title: 'language', kind: 'text' as const },
    { title: 'document', kind: 'text' as const },
  ];
  return toCsv(cols, rs.map((x) => [x.ack.iso3, x.ack.payment.id, x.ack.payment.received, cents(x.ack.payment.chf), cents(x.ack.payment.chf - x.ack.credit), cents(x.ack.credit), cents(x.ack.outstanding), x.lang, x.file]), dialect);
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
