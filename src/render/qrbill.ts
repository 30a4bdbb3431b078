/**
 * The Swiss QR-bill payment part with receipt (SIX Swiss Payment Standards, Implementation
 * Guidelines QR-bill v2.3, §3.4–3.7): a 210 × 105 mm slip, receipt 62 mm wide on the left,
 * payment part 148 mm on the right, laid out here in millimetres as HTML, to be placed at the
 * foot of an A4 page with the perforation lines (dashed, with scissors) above and between.
 *
 * The payload and its QR code come from the `swissqrbill` package (its own validation,
 * cleaning and QR encoder, the Swiss cross); only the drawing is done here: the code is ONE
 * SVG path (vertical runs of modules merged), where swissqrbill's SVG class made an element per
 * module (~2,000 elements, some 30–40 ms a bill in svg-engine). The text is laid out before
 * anything is drawn: every line is measured with Arial/Liberation Sans advance widths
 * (swissqrbill's table, 8 pt) and wrapped into its field; a field that cannot hold its text is
 * an error naming the field, never a clipped bill.
 *
 * With an ordinary IBAN the bill carries the invoice's ISO 11649 creditor reference (SCOR).
 * swissqrbill takes the amount as a JS number: the string ↔ number conversion is checked both
 * ways (exact below 10^15 centimes; the QR-bill maximum is 999,999,999.99).
 */
// swissqrbill exports only its classes and `utils`; its QR encoder and character widths are
// reached by path (the same files its SVG class uses). esbuild bundles them like any module.
import { generateQRData, renderQRCode, renderSwissCross } from '../../node_modules/swissqrbill/lib/esm/shared/qr-code.js';
import { qrcodegen } from '../../node_modules/swissqrbill/lib/esm/shared/qr-code-generator.js';
import { arial8pt } from '../../node_modules/swissqrbill/lib/esm/svg/character-width.js';
import { qrText, type Issuer, type Mission } from '../io/invoice.js';
import type { Lang } from './i18n/types.js';
import { escapeHtml } from './text.js';

/**
 * The mask penalty of ISO/IEC 18004 §7.8.3, as qrcodegen's `getPenaltyScore` computes it (same
 * rules N1–N4, same finder-like pattern test, same result), on a flat byte array with the run
 * history in locals. qrcodegen scores all eight masks of every code and its version shifts
 * arrays for each run: that was 70 % of the time of 600 invoices with bills. The same mask is
 * chosen, so the code is the same (test/qrbill.test.ts compares both on many payloads).
 */
type Scored = { size: number; modules: boolean[][] };
const QrCodeClass = qrcodegen.QrCode as unknown as { prototype: { getPenaltyScore(this: Scored): number }; PENALTY_N1: number; PENALTY_N2: number; PENALTY_N3: number; PENALTY_N4: number };
export const ORIGINAL_PENALTY = QrCodeClass.prototype.getPenaltyScore;
/** Rules N1 and N3 over every line of a row-major n × n buffer (rows of `g`, or of its transpose). */
function linesPenalty(g: Uint8Array, n: number, N1: number, N3: number): number {
  let result = 0;
  for (let a = 0; a < n; a++) {
    let color = 0;
    let run = 0;
    let h0 = 0, h1 = 0, h2 = 0, h3 = 0, h4 = 0, h5 = 0, h6 = 0;
    const end = (a + 1) * n;
    for (let i = a * n; i < end; i++) {
      const c = g[i]!;
      if (c === color) {
        run++;
        if (run === 5) result += N1;
        else if (run > 5) result++;
        continue;
      }
      // finderPenaltyAddHistory, then the finder-like pattern test after a light run.
      if (h0 === 0) run += n;
      h6 = h5; h5 = h4; h4 = h3; h3 = h2; h2 = h1; h1 = h0; h0 = run;
      if (color === 0 && h1 > 0 && h2 === h1 && h3 === h1 * 3 && h4 === h1 && h5 === h1) result += ((h0 >= h1 * 4 && h6 >= h1 ? 1 : 0) + (h6 >= h1 * 4 && h0 >= h1 ? 1 : 0)) * N3;
      color = c;
      run = 1;
    }
    // finderPenaltyTerminateAndCount: a dark run is closed, then the light border is one run.
    if (color === 1) {
      if (h0 === 0) run += n;
      h6 = h5; h5 = h4; h4 = h3; h3 = h2; h2 = h1; h1 = h0; h0 = run;
      run = 0;
    }
    run += n;
    if (h0 === 0) run += n;
    h6 = h5; h5 = h4; h4 = h3; h3 = h2; h2 = h1; h1 = h0; h0 = run;
    if (h1 > 0 && h2 === h1 && h3 === h1 * 3 && h4 === h1 && h5 === h1) result += ((h0 >= h1 * 4 && h6 >= h1 ? 1 : 0) + (h6 >= h1 * 4 && h0 >= h1 ? 1 : 0)) * N3;
  }
  return result;
}

/**
 * The modules of a code being scored, flat (rows and columns) with its count of dark modules:
 * made at the first score of a code, then kept in step by applyMask and setFunctionModule
 * (the format bits), so that each of the eight scores reads them without copying the matrix.
 */
interface Flat {
  g: Uint8Array;
  t: Uint8Array;
  dark: number;
}
const flats = new WeakMap<object, Flat>();
function flatOf(q: Scored): Flat {
  let f = flats.get(q);
  if (f) return f;
  const n = q.size;
  f = { g: new Uint8Array(n * n), t: new Uint8Array(n * n), dark: 0 };
  for (let y = 0; y < n; y++) {
    const row = q.modules[y]!;
    for (let x = 0; x < n; x++) {
      const v = row[x] ? 1 : 0;
      f.g[y * n + x] = v;
      f.t[x * n + y] = v;
      f.dark += v;
    }
  }
  flats.set(q, f);
  return f;
}

export function fastPenaltyScore(this: Scored): number {
  const n = this.size;
  const { g, t, dark } = flatOf(this);
  const { PENALTY_N1: N1, PENALTY_N2: N2, PENALTY_N3: N3, PENALTY_N4: N4 } = QrCodeClass;
  let result = linesPenalty(g, n, N1, N3) + linesPenalty(t, n, N1, N3);
  for (let y = 0; y < n - 1; y++) {
    for (let i = y * n, e = i + n - 1; i < e; i++) {
      const c = g[i];
      if (c === g[i + 1] && c === g[i + n] && c === g[i + n + 1]) result += N2;
    }
  }
  const total = n * n;
  result += (Math.ceil(Math.abs(dark * 20 - total * 10) / total) - 1) * N4;
  return result;
}

type WithFunctions = Scored & { isFunction: boolean[][] };
const FnProto = qrcodegen.QrCode.prototype as unknown as { setFunctionModule(this: WithFunctions, x: number, y: number, isDark: boolean): void };
export const ORIGINAL_SET_FUNCTION_MODULE = FnProto.setFunctionModule;
export function syncedSetFunctionModule(this: WithFunctions, x: number, y: number, isDark: boolean): void {
  this.modules[y]![x] = isDark;
  this.isFunction[y]![x] = true;
  const f = flats.get(this);
  if (!f) return;
  const n = this.size;
  const v = isDark ? 1 : 0;
  if (f.g[y * n + x] !== v) {
    f.dark += v ? 1 : -1;
    f.g[y * n + x] = v;
    f.t[x * n + y] = v;
  }
}
FnProto.setFunctionModule = syncedSetFunctionModule;
QrCodeClass.prototype.getPenaltyScore = fastPenaltyScore;

/**
 * qrcodegen's `applyMask`, with the modules each mask inverts listed once per symbol size (the
 * function modules are the same for every code of a version): the same modules are flipped,
 * without evaluating the mask's formula and a switch for each of the n² modules, 16 times a code.
 */
type Masked = Scored & { isFunction: boolean[][] };
const MaskProto = qrcodegen.QrCode.prototype as unknown as { applyMask(this: Masked, mask: number): void };
export const ORIGINAL_APPLY_MASK = MaskProto.applyMask;
const MASK_FORMULA = [
  (x: number, y: number) => (x + y) % 2 === 0,
  (_x: number, y: number) => y % 2 === 0,
  (x: number) => x % 3 === 0,
  (x: number, y: number) => (x + y) % 3 === 0,
  (x: number, y: number) => (Math.floor(x / 3) + Math.floor(y / 2)) % 2 === 0,
  (x: number, y: number) => ((x * y) % 2) + ((x * y) % 3) === 0,
  (x: number, y: number) => (((x * y) % 2) + ((x * y) % 3)) % 2 === 0,
  (x: number, y: number) => (((x + y) % 2) + ((x * y) % 3)) % 2 === 0,
];
const maskCells = new Map<string, Int32Array>();
export function fastApplyMask(this: Masked, mask: number): void {
  if (mask < 0 || mask > 7) throw 'Mask value out of range';
  const n = this.size;
  const key = `${n}:${mask}`;
  let cells = maskCells.get(key);
  if (!cells) {
    const list: number[] = [];
    const f = MASK_FORMULA[mask]!;
    for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) if (!this.isFunction[y]![x] && f(x, y)) list.push(y * n + x);
    cells = Int32Array.from(list);
    maskCells.set(key, cells);
  }
  const m = this.modules;
  const f = flats.get(this);
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i]!;
    const y = (c / n) | 0;
    const x = c - y * n;
    const row = m[y]!;
    row[x] = !row[x];
    if (f) {
      const v = f.g[c]! ^ 1;
      f.g[c] = v;
      f.t[x * n + y] = v;
      f.dark += v ? 1 : -1;
    }
  }
}
MaskProto.applyMask = fastApplyMask;

export interface QrBillInput {
  amount: string;
  reference: string;
  issuer: Issuer;
  mission: Mission;
  lang: Lang;
  /** One line for the bill's "Additional information", e.g. the invoice number. */
  message: string;
}

/** The words of the bill: SIX defines them in German, French, Italian and English only. */
const WORDS = {
  en: { receipt: 'Receipt', paymentPart: 'Payment part', account: 'Account / Payable to', reference: 'Reference', additional: 'Additional information', payableBy: 'Payable by', payableByName: 'Payable by (name/address)', currency: 'Currency', amount: 'Amount', acceptance: 'Acceptance point', separate: 'Separate before paying in' },
  fr: { receipt: 'Récépissé', paymentPart: 'Section paiement', account: 'Compte / Payable à', reference: 'Référence', additional: 'Informations supplémentaires', payableBy: 'Payable par', payableByName: 'Payable par (nom/adresse)', currency: 'Monnaie', amount: 'Montant', acceptance: 'Point de dépôt', separate: 'A détacher avant le versement' },
} as const;

/** SIX field limits (characters). */
export const QR_LIMITS = { name: 70, street: 70, building: 16, postcode: 16, town: 35, message: 140 } as const;

const PT = 25.4 / 72; // mm per point
/** Width of a text in mm at `pt` points (Arial metrics; a wide default for letters not in the table). */
export function textWidthMm(s: string, pt: number, bold = false): number {
  const table = arial8pt as unknown as Record<number, number>;
  let em = 0;
  for (const ch of s) {
    const w = table[ch.codePointAt(0)!];
    em += w === undefined ? 0.8 : w / (8 * 96 / 72);
  }
  // Bold Arial is up to ~7 % wider than regular.
  return em * pt * PT * (bold ? 1.08 : 1);
}

/** Words into lines of at most `width` mm; a word longer than a line is cut by characters. */
export function wrap(s: string, width: number, pt: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of s.split(/\s+/).filter((w) => w !== '')) {
    const cand = line === '' ? word : `${line} ${word}`;
    if (textWidthMm(cand, pt) <= width) {
      line = cand;
      continue;
    }
    if (line !== '') out.push(line);
    line = '';
    let rest = word;
    while (textWidthMm(rest, pt) > width) {
      let k = rest.length;
      while (k > 1 && textWidthMm(rest.slice(0, k), pt) > width) k--;
      out.push(rest.slice(0, k));
      rest = rest.slice(k);
    }
    line = rest;
  }
  if (line !== '') out.push(line);
  return out;
}

export class QrBillError extends Error {}

interface Party {
  name: string;
  street: string;
  building: string;
  postcode: string;
  town: string;
  country: string;
}

/** Why a party cannot be printed on a bill (SIX limits and character set), or undefined. */
export function partyProblem(p: Party): string | undefined {
  const fields: [keyof typeof QR_LIMITS, string][] = [['name', p.name], ['street', p.street], ['building', p.building], ['postcode', p.postcode], ['town', p.town]];
  for (const [k, v] of fields) {
    if (v.length > QR_LIMITS[k]) return `the ${k} "${v}" has ${v.length} characters, more than the ${QR_LIMITS[k]} a Swiss QR-bill allows`;
    if (!qrText(v)) return `the ${k} "${v}" has characters outside the Swiss QR-bill's Latin character set`;
  }
  return undefined;
}

/** "RF53ISU2026006" → "RF53 ISU2 0260 06" (SIX: SCOR references in groups of four). */
const groups4 = (s: string) => s.replace(/\s/g, '').replace(/(.{4})(?=.)/g, '$1 ');
/** "1234567.50" → "1 234 567.50" (SIX: space as thousands separator, point as decimal mark). */
const qrAmount = (s: string) => s.replace(/\B(?=(\d{3})+(?!\d))(?=\d*\.)/g, ' ');

interface Line {
  text: string;
  pt: number;
  bold: boolean;
  /** Top of the line box, mm from the top of the slip. */
  y: number;
  x: number;
}

interface Field {
  head: string;
  values: string[];
}

/**
 * Lays out one column of fields (heading + wrapped value lines, a blank line between fields)
 * from `top`, at most `height` mm; throws a QrBillError naming the field that does not fit.
 */
function column(where: string, fields: Field[], x: number, top: number, width: number, height: number, headPt: number, valuePt: number, lead: number, box?: { w: number; h: number }): { lines: Line[]; boxAt?: number } {
  const lines: Line[] = [];
  let y = top;
  let boxAt: number | undefined;
  fields.forEach((f, i) => {
    if (i > 0) y += lead;
    if (textWidthMm(f.head, headPt, true) > width) throw new QrBillError(`the heading "${f.head}" of the ${where} is wider than its field (${width} mm)`);
    lines.push({ text: f.head, pt: headPt, bold: true, y, x });
    y += lead;
    if (box && f.values.length === 0) {
      boxAt = y + 0.5;
      y += box.h + 0.5;
    }
    for (const v of f.values) {
      for (const l of wrap(v, width, valuePt)) {
        lines.push({ text: l, pt: valuePt, bold: false, y, x });
        y += lead;
      }
    }
    if (y - top > height + 0.01) throw new QrBillError(`the ${where} needs ${(y - top).toFixed(1)} mm for "${f.head}" and what comes before, and has ${height} mm: shorten ${f.values.length ? `"${f.values.join(', ')}"` : 'the fields above'}`);
  });
  return { lines, ...(boxAt !== undefined ? { boxAt } : {}) };
}

export interface QrBillLayout {
  /** The payload of the QR code (SIX "SPC" lines). */
  payload: string;
  /** The slip's text, as laid out. */
  lines: Line[];
  /** "Payable by (name/address)" boxes (receipt and payment part), when the debtor is left blank. */
  boxes: { x: number; y: number; w: number; h: number }[];
  /** The QR code: side in modules, and one path of its dark modules. */
  modules: number;
  path: string;
  cross: { x: number; y: number; w: number; h: number; fill: string }[];
  /** True when the mission could not be printed and the "Payable by" box is blank. */
  debtorLeftBlank: string | undefined;
  /** The bill's language (SIX: en or fr here) and its "Acceptance point" label. */
  lang: 'en' | 'fr';
  acceptance: string;
}

/**
 * Validates and lays out a bill. Everything that can go wrong goes wrong here, before any page
 * is drawn: amount, reference, creditor (isu.yaml) and field sizes.
 */
export function qrBillLayout(x: QrBillInput): QrBillLayout {
  const amount = Number(x.amount);
  if (!/^\d{1,9}\.\d\d$/.test(x.amount) || amount.toFixed(2) !== x.amount) throw new QrBillError(`the amount ${x.amount} cannot be put on a Swiss QR-bill exactly (0.01 to 999,999,999.99)`);
  const a = x.issuer.address;
  const cred: Party = { name: x.issuer.bank.holder, street: a.street, building: a.building, postcode: a.postcode, town: a.town, country: a.country };
  const credBad = partyProblem(cred);
  if (credBad) throw new QrBillError(`isu.yaml: ${credBad}`);
  if (x.message.length > QR_LIMITS.message) throw new QrBillError(`the additional information "${x.message}" is longer than ${QR_LIMITS.message} characters`);
  const m = x.mission;
  const debt: Party = { name: m.mission, street: m.street, building: m.building, postcode: m.postcode, town: m.town, country: m.country };
  let debtorLeftBlank = partyProblem(debt);
  const creditor = { account: x.issuer.bank.iban, name: cred.name, address: cred.street, buildingNumber: cred.building, zip: cred.postcode, city: cred.town, country: cred.country };
  const debtor = { name: debt.name, address: debt.street, buildingNumber: debt.building, zip: debt.postcode, city: debt.town, country: debt.country };
  const w = x.lang === 'fr' ? WORDS.fr : WORDS.en;
  const place = (p: Party) => [p.name, `${p.street} ${p.building}`, `${p.country === 'CH' ? '' : `${p.country}-`}${p.postcode} ${p.town}`];
  const creditorLines = [groups4(x.issuer.bank.iban), ...place(cred)];
  const ref = groups4(x.reference);

  // The layout, twice if the debtor does not fit (then the "Payable by" box is left blank).
  const lay = (withDebtor: boolean) => {
    const payBy: Field = withDebtor ? { head: w.payableBy, values: place(debt) } : { head: w.payableByName, values: [] };
    // Receipt: information section 5..57 mm wide (52), from 12 mm, 56 mm high; 6/8 pt on 9 pt lines.
    const r = column('receipt', [{ head: w.account, values: creditorLines }, { head: w.reference, values: [ref] }, payBy], 5, 12, 52, 56, 6, 8, 9 * PT, { w: 52, h: 20 });
    // Payment part: information section 118..205 mm (87), from 5 mm, 85 mm high; 8/10 pt on 11 pt lines.
    const p = column('payment part', [{ head: w.account, values: creditorLines }, { head: w.reference, values: [ref] }, { head: w.additional, values: [x.message] }, payBy], 118, 5, 87, 85, 8, 10, 11 * PT, { w: 65, h: 25 });
    return { r, p };
  };
  let laid: ReturnType<typeof lay>;
  try {
    laid = lay(debtorLeftBlank === undefined);
  } catch (e) {
    if (!(e instanceof QrBillError) || debtorLeftBlank !== undefined) throw e;
    debtorLeftBlank = `the mission's address does not fit the bill's "${w.payableBy}" field (${e.message})`;
    laid = lay(false);
  }
  const data = { amount, currency: 'CHF' as const, reference: x.reference, creditor, ...(debtorLeftBlank === undefined ? { debtor } : {}), message: x.message };
  let payload: string;
  const runs: string[] = [];
  let n = 0;
  try {
    payload = generateQRData(data);
    // Module coordinates: size 1 gives block = 1/n; x/y are multiples of it.
    let col = -1;
    let start = -1;
    let end = -1;
    const flush = () => {
      if (start >= 0) runs.push(`M${col} ${start}h1v${end - start}h-1z`);
    };
    renderQRCode(data, 1, (px, py, block) => {
      n = Math.round(1 / block);
      const cx = Math.round(px / block);
      const cy = Math.round(py / block);
      if (cx === col && cy === end) {
        end++;
        return;
      }
      flush();
      col = cx;
      start = cy;
      end = cy + 1;
    });
    flush();
  } catch (e) {
    throw new QrBillError(`swissqrbill refused the bill: ${(e as Error).message}`);
  }
  const cross: QrBillLayout['cross'] = [];
  renderSwissCross(n, (cx, cy, cw, ch, fill) => cross.push({ x: cx, y: cy, w: cw, h: ch, fill }));
  const lines: Line[] = [
    { text: w.receipt, pt: 11, bold: true, y: 5, x: 5 },
    ...laid.r.lines,
    { text: w.currency, pt: 6, bold: true, y: 68, x: 5 },
    { text: w.amount, pt: 6, bold: true, y: 68, x: 22 },
    { text: 'CHF', pt: 8, bold: false, y: 68 + 9 * PT, x: 5 },
    { text: qrAmount(x.amount), pt: 8, bold: false, y: 68 + 9 * PT, x: 22 },
    { text: w.paymentPart, pt: 11, bold: true, y: 5, x: 67 },
    ...laid.p.lines,
    { text: w.currency, pt: 8, bold: true, y: 68, x: 67 },
    { text: w.amount, pt: 8, bold: true, y: 68, x: 87 },
    { text: 'CHF', pt: 10, bold: false, y: 68 + 11 * PT, x: 67 },
    { text: qrAmount(x.amount), pt: 10, bold: false, y: 68 + 11 * PT, x: 87 },
  ];
  const boxes = [];
  if (laid.r.boxAt !== undefined) boxes.push({ x: 5, y: laid.r.boxAt, w: 52, h: 20 });
  if (laid.p.boxAt !== undefined) boxes.push({ x: 118, y: laid.p.boxAt, w: 65, h: 25 });
  return { payload, lines, boxes, modules: n, path: runs.join(''), cross, debtorLeftBlank, lang: x.lang === 'fr' ? 'fr' : 'en', acceptance: w.acceptance };
}

const f1 = (v: number) => String(Math.round(v * 100) / 100);

/** The corner marks of a blank box (SIX: 0.75 pt black corners). */
function corners(b: { x: number; y: number; w: number; h: number }): string {
  const k = 3;
  const d = [`M${f1(b.x)} ${f1(b.y + k)}V${f1(b.y)}H${f1(b.x + k)}`, `M${f1(b.x + b.w - k)} ${f1(b.y)}H${f1(b.x + b.w)}V${f1(b.y + k)}`, `M${f1(b.x + b.w)} ${f1(b.y + b.h - k)}V${f1(b.y + b.h)}H${f1(b.x + b.w - k)}`, `M${f1(b.x + k)} ${f1(b.y + b.h)}H${f1(b.x)}V${f1(b.y + b.h - k)}`].join('');
  return `<path d="${d}" fill="none" stroke="#000" stroke-width="0.26"/>`;
}

/** A pair of scissors, drawn (no font needed), 5 mm wide, pointing right, centred on (x, y). */
function scissors(x: number, y: number, rotate = 0): string {
  return `<g transform="translate(${f1(x)} ${f1(y)}) rotate(${rotate})" fill="none" stroke="#000" stroke-width="0.25"><circle cx="-1.6" cy="-1" r="0.8"/><circle cx="-1.6" cy="1" r="0.8"/><path d="M-0.9 -0.6L2.4 1.2M-0.9 0.6L2.4 -1.2"/></g>`;
}

/**
 * The slip as HTML: a 210 × 105 mm box (class `qrbill`) with the text at its laid-out places,
 * the QR code as one SVG path and the perforation lines with scissors. Placed by the caller.
 */
export function qrBillHtml(l: QrBillLayout): string {
  const h = escapeHtml;
  const text = l.lines
    .map((t) => `<div class="t" style="left:${f1(t.x)}mm;top:${f1(t.y)}mm;font-size:${t.pt}pt${t.bold ? ';font-weight:bold' : ''}">${h(t.text)}</div>`)
    .join('');
  const accept = `<div class="t" style="right:${f1(210 - 57)}mm;top:82mm;font-size:6pt;font-weight:bold">${h(l.acceptance)}</div>`;
  const n = l.modules;
  const cross = l.cross.map((c) => `<rect x="${f1(c.x)}" y="${f1(c.y)}" width="${f1(c.w)}" height="${f1(c.h)}" fill="${c.fill}"/>`).join('');
  const qr = `<svg class="code" style="left:67mm;top:17mm" width="46mm" height="46mm" viewBox="0 0 ${n} ${n}" shape-rendering="crispEdges" role="img" aria-label="Swiss QR Code"><path d="${l.path}" fill="#000"/>${cross}</svg>`;
  const lines = `<svg class="cut" width="210mm" height="105mm" viewBox="0 0 210 105"><path d="M0 0.2H210M62 0V105" stroke="#000" stroke-width="0.2" stroke-dasharray="1 1"/>${scissors(10, 1.4)}${scissors(62, 8, 90)}${l.boxes.map(corners).join('')}</svg>`;
  return `<div class="qrbill" dir="ltr" lang="${l.lang}">${lines}${qr}${text}${accept}</div>`;
}

/** The CSS of the slip (absolute positions in mm inside a 210 × 105 mm box). */
export const QRBILL_STYLE = `.qrbill{position:relative;width:210mm;height:105mm;overflow:hidden;background:#fff;color:#000;font-family:"Liberation Sans",Arial,Helvetica,sans-serif;line-height:1}
.qrbill .t{position:absolute;white-space:nowrap;line-height:1.1}
.qrbill svg{position:absolute;left:0;top:0}
.qrbill svg.code{position:absolute}`;

/** The bill of one invoice: layout (validated) then HTML. */
export function qrBill(x: QrBillInput): { html: string; layout: QrBillLayout } {
  const layout = qrBillLayout(x);
  return { html: qrBillHtml(layout), layout };
}
