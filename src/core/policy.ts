/**
 * The policy: the financial procedures as data (docs/policy.md is the reference).
 *
 * `validatePolicy` takes the value parsed from YAML with the failsafe schema (every scalar a
 * string, so no number ever passes through binary floating point), checks it with zod, then
 * applies the rules zod cannot say (shares add to 100, one `rest`, …), and returns either a
 * normalised `Policy` or the issues, each with the key path the shell turns into a line.
 */
import * as z from 'zod';
import { D, type Decimal } from './decimal.js';
import { cmp, type ProblemCode } from './problem.js';
import type { RoundingMethod } from './allocate.js';

export const POLICY_SCHEMA = 'finproc.policy/1';

/** Column names of the per-State reports: a category with one of these ids would clash. */
export const RESERVED_IDS = ['iso3', 'name', 'ldc', 'months', 'rate_pct', 'rate_source', 'total'];

// At most 15 digits before the point and 12 after, as in the CSV files: with 60 significant
// digits, every product of two such numbers is then exact (see decimal.ts).
const decimalString = (what: string) =>
  z.string({ error: `expected ${what} as a quoted decimal string such as "12.5"` }).regex(/^(0|[1-9]\d{0,14})(\.\d{1,12})?$/, {
    error: `expected ${what}: digits with '.' as the decimal mark, such as "12.5" (at most 15 digits before it and 12 after)`,
  });
// A percentage is of something whole: 0 to 100 (a bound of 250 % or an LDC maximum of 101 % is a typo).
const percent = decimalString('a percentage').refine((v) => /^(100(\.0+)?|\d{1,2}(\.\d+)?)$/.test(v), { error: 'expected a percentage from 0 to 100' });
/** The capital reserve when a policy says nothing of it: CHF 400,000 (DOMAIN.md), a shortfall is cash below zero, advances repaid from surplus. */
export const RESERVE_DEFAULTS = { target: '400000.00', minimum_cash: '0.00', repay: 'surplus' } as const;
const amount = decimalString('an amount');
const iso3 = z.string().regex(/^[A-Z]{3}$/, { error: 'expected an ISO 3166-1 alpha-3 code such as CHE' });
const year = z
  .string({ error: 'expected a four-digit year' })
  .regex(/^\d{4}$/, { error: 'expected a four-digit year such as 2026' })
  .transform(Number);
const id = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, { error: 'expected an id of lower-case letters, digits, ".", "_" or "-"' });
// A category id is part of key paths such as categories.scale.bounds: no ".".
const categoryId = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, { error: 'expected an id of lower-case letters, digits, "_" or "-"' });
const bool = z.enum(['true', 'false'], { error: 'expected true or false' }).transform((v) => v === 'true');

const boundSchema = z.strictObject({ percent, of: z.enum(['total', 'category'], { error: 'expected "total" or "category"' }) });
const selectorObject = z.strictObject({
  iso3: z.array(iso3).optional(),
  except: z.array(iso3).optional(),
  ldc: bool.optional(),
  rate_at_least: percent.optional(),
  rate_below: percent.optional(),
});
const selectorSchema = z.union([z.enum(['all', 'ldc', 'non-ldc', 'rest']), selectorObject], {
  error: 'expected all, ldc, non-ldc, rest, or a map of conditions (iso3, except, ldc, rate_at_least, rate_below)',
});

const categorySchema = z.strictObject({
  id: categoryId,
  name: z.string().min(1),
  /** The category's name for readers of the invoices, per language (en fr es ar ru zh). */
  display: z.strictObject(Object.fromEntries(['en', 'fr', 'es', 'ar', 'ru', 'zh'].map((l) => [l, z.string().trim().min(1).max(120).optional()])) as Record<'en' | 'fr' | 'es' | 'ar' | 'ru' | 'zh', z.ZodOptional<z.ZodString>>).optional(),
  basis: z.enum(['scale', 'equal', 'fixed', 'voluntary'], { error: 'expected scale, equal, fixed or voluntary' }),
  share: percent.optional(),
  amount: amount.optional(),
  members: selectorSchema.optional(),
  amounts: z.record(iso3, amount).optional(),
  fixed_shares: z.record(iso3, percent).optional(),
  bounds: z.strictObject({ min: boundSchema.optional(), max: boundSchema.optional(), ldc_max: boundSchema.optional() }).optional(),
});

const periodsSchema = z.array(z.strictObject({ from: year, to: year, column: z.string().min(1) })).min(1);
const unratedSchema = z.strictObject({
  rule: z.enum(['notional', 'error'], { error: 'expected notional or error' }).default('error'),
  rate: percent.optional(),
  rates: z.record(iso3, percent).optional(),
  states: z.array(iso3).optional(),
});

const policySchema = z.strictObject({
  schema: z.literal(POLICY_SCHEMA, { error: `expected "${POLICY_SCHEMA}"` }),
  id,
  title: z.string().min(1),
  source: z.string().min(1, { error: 'say where the rules come from, or that they are illustrative' }),
  currency: z.string().regex(/^[A-Z]{3}$/, { error: 'expected an ISO 4217 code such as CHF' }).default('CHF'),
  scale: z.strictObject({
    periods: periodsSchema,
    unrated: unratedSchema.default({ rule: 'error' }),
  }),
  pro_rata: z.enum(['none', 'months'], { error: 'expected none or months' }).default('none'),
  // Which entry-into-force rule the treaty has: the CCM's Art. 17 (the first day of a month) is
  // checked only where the policy says so; another treaty's dates may fall on any day.
  entry_into_force: z.enum(['first-of-month', 'any-day'], { error: 'expected first-of-month or any-day' }).default('any-day'),
  rounding: z
    .strictObject({
      unit: z.enum(['0.01', '0.05', '1'], { error: 'expected "0.01", "0.05" or "1"' }).default('0.01'),
      method: z.enum(['largest-remainder', 'half-up', 'half-even'], { error: 'expected largest-remainder, half-up or half-even' }).default('largest-remainder'),
    })
    .default({ unit: '0.01', method: 'largest-remainder' }),
  categories: z.array(categorySchema).min(1, { error: 'expected at least one category' }),
  // The capital reserve, for `finproc cashflow` (docs/cashflow.md). Optional: the defaults below.
  reserve: z
    .strictObject({
      target: amount.default(RESERVE_DEFAULTS.target),
      minimum_cash: amount.default(RESERVE_DEFAULTS.minimum_cash),
      repay: z.enum(['surplus', 'none'], { error: 'expected surplus or none' }).default(RESERVE_DEFAULTS.repay),
    })
    .optional(),
});

export type Basis = 'scale' | 'equal' | 'fixed' | 'voluntary';
export type Selector =
  | 'all'
  | 'ldc'
  | 'non-ldc'
  | 'rest'
  | { iso3?: string[]; except?: string[]; ldc?: boolean; rateAtLeast?: Decimal; rateBelow?: Decimal };
export interface Bound {
  percent: Decimal;
  of: 'total' | 'category';
}
export interface Category {
  id: string;
  name: string;
  /** Display names for invoices, by language code; absent languages take a default by basis. */
  display: Partial<Record<string, string>>;
  basis: Basis;
  share?: Decimal;
  amount?: Decimal;
  members: Selector;
  /** basis fixed: ISO3 → amount, sorted by ISO3. */
  amounts: [string, Decimal][];
  /** ISO3 → percent of the category, sorted by ISO3. */
  fixedShares: [string, Decimal][];
  bounds: { min?: Bound; max?: Bound; ldcMax?: Bound };
}
export interface Policy {
  id: string;
  title: string;
  source: string;
  currency: string;
  scalePeriods: { from: number; to: number; column: string }[];
  /** `rate` applies to the States in `states` only; `rates` names its own States. No other State gets a notional rate. */
  unrated: { rule: 'notional' | 'error'; rate?: Decimal; rates: Map<string, Decimal>; states: readonly string[] };
  proRata: 'none' | 'months';
  /** `first-of-month`: an entry into force on another day is a warning (CCM Art. 17). */
  entryIntoForce: 'first-of-month' | 'any-day';
  rounding: { unit: Decimal; method: RoundingMethod };
  categories: Category[];
  /** The capital reserve (cash-flow projection). */
  reserve: ReservePolicy;
}
/** What the capital reserve is kept at, what counts as a shortfall, whether advances from it are repaid. */
export interface ReservePolicy {
  target: Decimal;
  /** A month whose closing cash is below this is a shortfall. */
  minimumCash: Decimal;
  /** surplus: what was drawn is paid back from operating cash above the minimum; none: only voluntary contributions refill it. */
  repay: 'surplus' | 'none';
  /** true when the policy file has no `reserve` key. */
  defaulted: boolean;
}

export interface PolicyIssue {
  code: ProblemCode;
  path: (string | number)[];
  message: string;
  hint?: string;
  /** Point at the key itself rather than its value (unknown keys). */
  atKey?: boolean;
}

type ZDef = { type: string; shape?: Record<string, { _zod: { def: ZDef } }>; innerType?: { _zod: { def: ZDef } }; element?: { _zod: { def: ZDef } }; options?: { _zod: { def: ZDef } }[]; in?: { _zod: { def: ZDef } } };

/** The keys an object of `schema` may have at `path` (zod's own definitions, so never out of date). */
export function keysAt(schema: unknown, path: readonly PropertyKey[]): string[] {
  const unwrap = (d: ZDef): ZDef[] => {
    if (d.innerType) return unwrap(d.innerType._zod.def);
    if (d.type === 'pipe' && d.in) return unwrap(d.in._zod.def);
    if (d.type === 'union' && d.options) return d.options.flatMap((o) => unwrap(o._zod.def));
    return [d];
  };
  let defs = unwrap((schema as { _zod: { def: ZDef } })._zod.def);
  for (const seg of path) {
    defs = defs.flatMap((d) => (d.type === 'object' && typeof seg === 'string' && d.shape?.[seg] ? unwrap(d.shape[seg]._zod.def) : d.type === 'array' && typeof seg === 'number' && d.element ? unwrap(d.element._zod.def) : []));
  }
  return [...new Set(defs.flatMap((d) => (d.type === 'object' && d.shape ? Object.keys(d.shape) : [])))];
}

/** The allowed key nearest to a misspelt one (edits, a swap of two letters counting as one), if it is close. */
export function nearestKey(key: string, allowed: readonly string[]): string | undefined {
  if (key.length > 64) return undefined;
  let best: string | undefined;
  let bestD = Infinity;
  for (const a of allowed) {
    if (Math.abs(a.length - key.length) > 2) continue;
    const d = editDistance(key.toLowerCase(), a);
    if (d < bestD) [best, bestD] = [a, d];
  }
  const limit = key.length <= 3 ? 1 : 2;
  return bestD <= limit && bestD > 0 ? best : key.toLowerCase() === best && key !== best ? best : undefined;
}

/** Optimal string alignment distance (Damerau–Levenshtein without repeated edits of a substring). */
function editDistance(a: string, b: string): number {
  const n = b.length;
  let prev2 = new Int32Array(n + 1);
  let prev = Int32Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Int32Array(n + 1);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n]!;
}

export function validatePolicy(raw: unknown): { policy?: Policy; issues: PolicyIssue[] } {
  // jitless: one small document is parsed once; compiling a fast path for it costs more than it saves.
  const parsed = policySchema.safeParse(raw, { jitless: true, reportInput: true });
  if (!parsed.success) {
    const issues: PolicyIssue[] = [];
    for (const i of parsed.error.issues) {
      if (i.code === 'unrecognized_keys') {
        for (const k of i.keys) {
          const near = nearestKey(k, keysAt(policySchema, i.path));
          issues.push({ code: 'policy-schema', path: [...i.path.map(pk), k], atKey: true, message: `unknown key "${k}"${near ? ` (did you mean "${near}"?)` : ''}`, hint: near ? `write ${near}: see docs/policy.md for the keys a policy may have (a typo is never ignored)` : 'see docs/policy.md for the keys a policy may have (a typo is never ignored)' });
        }
      } else {
        issues.push({ code: 'policy-schema', path: i.path.map(pk), message: plainMessage(i) });
      }
    }
    // The rules zod cannot say are checked on every part that is well-formed, so that all
    // problems are reported at once.
    issues.push(...partialRuleIssues(raw));
    return { issues };
  }
  const p = parsed.data;
  const unrated = p.scale.unrated;
  const issues = [...periodIssues(p.scale.periods), ...unratedIssues(unrated), ...categoryIssues(p.categories.map((c, i) => [i, c]), true), ...reserveIssues(p.reserve)];
  if (issues.length > 0) return { issues };

  const policy: Policy = {
    id: p.id,
    title: p.title,
    source: p.source,
    currency: p.currency,
    scalePeriods: p.scale.periods,
    unrated: {
      rule: unrated.rule,
      ...(unrated.rate !== undefined ? { rate: D(unrated.rate) } : {}),
      rates: new Map(sortedEntries(unrated.rates).map(([k, v]) => [k, D(v)])),
      states: [...new Set(unrated.states ?? [])].sort(),
    },
    proRata: p.pro_rata,
    entryIntoForce: p.entry_into_force,
    rounding: { unit: D(p.rounding.unit), method: p.rounding.method },
    categories: p.categories.map((c) => ({
      id: c.id,
      name: c.name,
      display: { ...(c.display ?? {}) },
      basis: c.basis,
      ...(c.share !== undefined ? { share: D(c.share) } : {}),
      ...(c.amount !== undefined ? { amount: D(c.amount) } : {}),
      members: normaliseSelector(c.members ?? 'all'),
      amounts: sortedEntries(c.amounts).map(([k, v]) => [k, D(v)]),
      fixedShares: sortedEntries(c.fixed_shares).map(([k, v]) => [k, D(v)]),
      bounds: {
        ...(c.bounds?.min ? { min: bound(c.bounds.min) } : {}),
        ...(c.bounds?.max ? { max: bound(c.bounds.max) } : {}),
        ...(c.bounds?.ldc_max ? { ldcMax: bound(c.bounds.ldc_max) } : {}),
      },
    })),
    reserve: {
      target: D(p.reserve?.target ?? RESERVE_DEFAULTS.target),
      minimumCash: D(p.reserve?.minimum_cash ?? RESERVE_DEFAULTS.minimum_cash),
      repay: p.reserve?.repay ?? RESERVE_DEFAULTS.repay,
      defaulted: p.reserve === undefined,
    },
  };
  return { policy, issues: [] };
}

function pk(k: PropertyKey): string | number {
  return typeof k === 'number' ? k : String(k);
}

function sortedEntries(r: Record<string, string> | undefined): [string, string][] {
  return Object.entries(r ?? {}).sort(([a], [b]) => cmp(a, b));
}

function bound(b: { percent: string; of: 'total' | 'category' }): Bound {
  return { percent: D(b.percent), of: b.of };
}

function normaliseSelector(s: z.infer<typeof selectorSchema>): Selector {
  if (typeof s === 'string') return s;
  return {
    ...(s.iso3 ? { iso3: [...s.iso3] } : {}),
    ...(s.except ? { except: [...s.except] } : {}),
    ...(s.ldc !== undefined ? { ldc: s.ldc } : {}),
    ...(s.rate_at_least !== undefined ? { rateAtLeast: D(s.rate_at_least) } : {}),
    ...(s.rate_below !== undefined ? { rateBelow: D(s.rate_below) } : {}),
  };
}

/** One line for reports: "largest remainder to 0.01 CHF (ties: …)". */
export function describeRounding(p: Policy): string {
  const u = p.rounding.unit.toFixed();
  if (p.rounding.method === 'largest-remainder') return `largest remainder to ${u} ${p.currency} (ties: larger remainder, then larger quota, then larger rate, then ISO3 A–Z)`;
  return `${p.rounding.method} per line to ${u} ${p.currency} (difference to the total shown as its own line)`;
}

/** The notional rate the policy gives `iso3` (a State with no UN rate that it names), or null. */
export function notionalRate(p: Policy, iso3: string): Decimal | null {
  if (p.unrated.rule !== 'notional') return null;
  return p.unrated.rates.get(iso3) ?? (p.unrated.rate !== undefined && p.unrated.states.includes(iso3) ? p.unrated.rate : null);
}

export function unitDecimals(p: Policy): number {
  return p.rounding.unit.decimalPlaces();
}

/** Every ISO3 code the policy names, with the key path where it is named (for `check`). */
export function namedStates(p: Policy): { iso3: string; field: string }[] {
  const out: { iso3: string; field: string }[] = [];
  for (const [k] of p.unrated.rates) out.push({ iso3: k, field: `scale.unrated.rates.${k}` });
  p.unrated.states.forEach((k, i) => out.push({ iso3: k, field: `scale.unrated.states.${i}` }));
  for (const c of p.categories) {
    if (typeof c.members === 'object') {
      (c.members.iso3 ?? []).forEach((k, i) => out.push({ iso3: k, field: `categories.${c.id}.members.iso3.${i}` }));
      (c.members.except ?? []).forEach((k, i) => out.push({ iso3: k, field: `categories.${c.id}.members.except.${i}` }));
    }
    for (const [k] of c.fixedShares) out.push({ iso3: k, field: `categories.${c.id}.fixed_shares.${k}` });
    for (const [k] of c.amounts) out.push({ iso3: k, field: `categories.${c.id}.amounts.${k}` });
  }
  return out;
}

/** zod's message in the words of this file format (no "received undefined"). */
function plainMessage(i: z.core.$ZodIssue): string {
  const what = (e: string) => (e === 'object' ? 'a map of keys' : e === 'array' ? 'a list' : e === 'string' ? 'a value' : e);
  if (i.code === 'invalid_type') {
    const got = (i as { input?: unknown }).input;
    if (got === undefined) return i.path.length ? `required key "${String(i.path[i.path.length - 1])}" is missing` : 'the file is empty: expected a policy (a map of keys)';
    const shown = String(got).length > 40 ? `${String(got).slice(0, 40)}…` : String(got);
    if (/^Invalid input/.test(i.message)) return `expected ${what(i.expected)}, found ${Array.isArray(got) ? 'a list' : got === null ? 'nothing' : typeof got === 'object' ? 'a map' : `"${shown}"`}`;
  }
  if (i.code === 'too_small' && i.origin === 'array') return i.message.startsWith('Too small') ? 'expected at least one entry' : i.message;
  if (i.code === 'too_small' && i.origin === 'string') return i.message.startsWith('Too small') ? 'must not be empty' : i.message;
  if (i.code === 'invalid_key') return `"${String(i.path[i.path.length - 1] ?? '')}" is not an ISO 3166-1 alpha-3 code (three upper-case letters, e.g. CHE)`;
  return i.message.replace(/^Invalid input: /, '');
}

type RawCategory = z.infer<typeof categorySchema>;

function partialRuleIssues(raw: unknown): PolicyIssue[] {
  const r = (raw ?? {}) as { scale?: { periods?: unknown; unrated?: unknown }; categories?: unknown };
  const out: PolicyIssue[] = [];
  const periods = periodsSchema.safeParse(r.scale?.periods, { jitless: true, reportInput: true });
  if (periods.success) out.push(...periodIssues(periods.data));
  const unrated = unratedSchema.safeParse(r.scale?.unrated ?? {}, { jitless: true, reportInput: true });
  if (unrated.success) out.push(...unratedIssues(unrated.data));
  if (Array.isArray(r.categories)) {
    const ok: [number, RawCategory][] = [];
    r.categories.forEach((c, i) => {
      const one = categorySchema.safeParse(c, { jitless: true, reportInput: true });
      if (one.success) ok.push([i, one.data]);
    });
    out.push(...categoryIssues(ok, ok.length === r.categories.length));
  }
  return out;
}

/** The reserve's amounts are CHF in centimes, like the ledger. */
function reserveIssues(r: { target: string; minimum_cash: string } | undefined): PolicyIssue[] {
  if (!r) return [];
  return (['target', 'minimum_cash'] as const)
    .filter((k) => D(r[k]).decimalPlaces() > 2)
    .map((k) => ({ code: 'policy-schema' as const, path: ['reserve', k], message: `${r[k]} has more than two decimals`, hint: 'the reserve is kept in centimes: at most two decimals' }));
}

function periodIssues(periods: { from: number; to: number }[]): PolicyIssue[] {
  const issues: PolicyIssue[] = [];
  periods.forEach((per, i) => {
    if (per.from > per.to) issues.push({ code: 'policy-schema', path: ['scale', 'periods', i, 'to'], message: `period ends (${per.to}) before it starts (${per.from})` });
    periods.forEach((other, j) => {
      if (j > i && per.from <= other.to && other.from <= per.to)
        issues.push({ code: 'policy-schema', path: ['scale', 'periods', j], message: `period ${other.from}–${other.to} overlaps period ${per.from}–${per.to}`, hint: 'each year must map to exactly one scale column' });
    });
  });
  return issues;
}

function unratedIssues(unrated: z.infer<typeof unratedSchema>): PolicyIssue[] {
  const issues: PolicyIssue[] = [];
  const positive = (v: string | undefined, path: (string | number)[]) => {
    if (v !== undefined && D(v).isZero()) issues.push({ code: 'policy-schema', path, message: 'a notional rate of 0 would make the State pay nothing by the scale', hint: 'give a rate above zero, e.g. the UN minimum "0.001"' });
  };
  positive(unrated.rate, ['scale', 'unrated', 'rate']);
  for (const [k, v] of Object.entries(unrated.rates ?? {})) positive(v, ['scale', 'unrated', 'rates', k]);
  if (unrated.rule === 'error' && (unrated.rate !== undefined || unrated.rates !== undefined || unrated.states !== undefined))
    issues.push({ code: 'policy-schema', path: ['scale', 'unrated', 'rule'], message: 'a rate is given but the rule is "error"', hint: 'set rule: notional to use the rate' });
  // A notional rate only for the States the policy names: a State deleted from scale.csv by
  // mistake must be an error, never the UN minimum.
  if (unrated.rule === 'notional' && unrated.rate !== undefined && (unrated.states ?? []).length === 0)
    issues.push({ code: 'policy-schema', path: ['scale', 'unrated', 'rate'], message: 'a notional rate applies only to the States the policy names, and `states` names none', hint: 'list the States with no UN rate, e.g. states: [COK, NIU, PSE, VAT] (a State missing from scale.csv by mistake is then an error, not a notional rate)' });
  if (unrated.rule === 'notional' && unrated.rate === undefined && (unrated.states ?? []).length > 0)
    issues.push({ code: 'policy-schema', path: ['scale', 'unrated', 'states'], message: '`states` is given but no `rate` for them', hint: 'add rate: "0.001" (the notional rate of the States listed), or give each its own in rates' });
  return issues;
}

/**
 * The rules on categories. `complete`: every category of the file is in `cats` (the
 * checks on all of them together, such as the sum of the shares, need that).
 */
function categoryIssues(cats: [number, RawCategory][], complete: boolean): PolicyIssue[] {
  const issues: PolicyIssue[] = [];
  const seen = new Set<string>();
  let rests = 0;
  let shareSum = D('0');
  let shareCount = 0;
  for (const [i, c] of cats) {
    const at = (k: string): (string | number)[] => ['categories', i, k];
    if (seen.has(c.id)) issues.push({ code: 'policy-schema', path: at('id'), message: `category id "${c.id}" is used twice` });
    if (RESERVED_IDS.includes(c.id)) issues.push({ code: 'policy-schema', path: at('id'), message: `"${c.id}" is a column of the reports and cannot be a category id`, hint: `reserved: ${RESERVED_IDS.join(', ')}` });
    seen.add(c.id);
    if (c.members === 'rest') rests++;
    if ((c.basis === 'fixed' || c.basis === 'voluntary') && c.members !== undefined)
      issues.push({ code: 'policy-schema', path: at('members'), message: `a ${c.basis} category has no member selector`, hint: c.basis === 'fixed' ? 'its members are the States listed in "amounts"' : 'a voluntary category is not invoiced to anyone' });
    if (c.basis === 'fixed') {
      if (!c.amounts || Object.keys(c.amounts).length === 0) issues.push({ code: 'policy-schema', path: ['categories', i], message: 'a fixed category needs "amounts" (ISO3 → amount)' });
      if (c.share !== undefined) issues.push({ code: 'policy-schema', path: at('share'), message: 'a fixed category has no share: its amount is the sum of "amounts"' });
      if (c.amount !== undefined && c.amounts) {
        const sum = Object.values(c.amounts).reduce((s, a) => s.plus(D(a)), D('0'));
        if (!sum.eq(D(c.amount))) issues.push({ code: 'policy-schema', path: at('amount'), message: `amount ${c.amount} is not the sum of "amounts" (${sum.toFixed()})` });
      }
    } else {
      if (c.amounts) issues.push({ code: 'policy-schema', path: at('amounts'), message: `"amounts" belongs to basis fixed, not ${c.basis}` });
      if ((c.share === undefined) === (c.amount === undefined))
        issues.push({ code: 'policy-schema', path: ['categories', i], message: 'give exactly one of "share" (percent) or "amount"' });
    }
    if (c.share !== undefined) {
      shareSum = shareSum.plus(D(c.share));
      shareCount++;
    }
    if (c.fixed_shares && c.basis !== 'scale' && c.basis !== 'equal')
      issues.push({ code: 'policy-schema', path: at('fixed_shares'), message: `fixed shares apply to scale or equal categories, not ${c.basis}` });
    if (c.fixed_shares) {
      const sum = Object.values(c.fixed_shares).reduce((s, a) => s.plus(D(a)), D('0'));
      if (sum.gt(100)) issues.push({ code: 'policy-shares', path: at('fixed_shares'), message: `fixed shares add up to ${sum.toFixed()} %, more than the category` });
    }
    const b = c.bounds;
    for (const upper of ['max', 'ldc_max'] as const) {
      const lo = b?.min;
      const hi = b?.[upper];
      if (lo && hi && lo.of === hi.of && D(lo.percent).gt(D(hi.percent)))
        issues.push({ code: 'policy-bounds', path: at('bounds'), message: `the minimum (${lo.percent} % of the ${lo.of}) is above the ${upper} (${hi.percent} %)`, hint: 'no State could satisfy both' });
    }
    if (c.bounds && (c.basis === 'fixed' || c.basis === 'voluntary'))
      issues.push({ code: 'policy-schema', path: at('bounds'), message: `bounds apply to scale or equal categories, not ${c.basis}` });
  }
  if (rests > 1) issues.push({ code: 'policy-schema', path: ['categories'], message: 'more than one category selects "rest"', hint: '"rest" means the payers no other category takes: there can be one' });
  if (complete && shareCount > 0 && !shareSum.eq(100))
    issues.push({ code: 'policy-shares', path: ['categories'], message: `category shares add up to ${shareSum.toFixed()} %, not 100 %`, hint: 'shares are percentages of the budget left after fixed amounts; they must add up to exactly 100' });
  if (complete && shareCount === 0 && cats.every(([, c]) => c.amount === undefined && c.basis !== 'fixed'))
    issues.push({ code: 'policy-shares', path: ['categories'], message: 'no category has a share or an amount' });
  return issues;
}
