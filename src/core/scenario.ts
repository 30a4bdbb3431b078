/**
 * Scenarios: a named change to the baseline policy and to the membership, for `simulate`
 * (docs/simulate.md is the reference).
 *
 * A scenario is applied to the baseline policy **as written** (the raw YAML value, every
 * scalar a string), and the result goes through `validatePolicy` like any policy file: the
 * same keys, the same rules, the same engine. So a scenario's amounts are exactly those
 * `finproc apportion --policy` gives for the merged policy.
 *
 * Example: the baseline shares 15 % equally and 85 % by the scale; the scenario
 *
 *     split: { base: "25", scale: "75" }
 *
 * sets the two shares and changes nothing else.
 *
 * Overlay rules, in this order: `remove` takes categories out; `categories.<id>` replaces the
 * keys it names in an existing category (a new `share` drops the `amount`, and the other way
 * round) or, for an id the baseline does not have, appends a new category; `split` sets the
 * share of the named categories; `rounding` keys replace the baseline's; `pro_rata` replaces
 * it; `scale.column` makes the year use that column of scale.csv; `scale.unrated` replaces
 * the baseline's. `membership.join` counts States as bound from 1 January of the year (or a
 * given entry-into-force date); `membership.leave` as no longer bound from 1 January (or a
 * given withdrawal date).
 */
import * as z from 'zod';
import type { PartyRecord, ReferenceData } from './books.js';
import { boundDuring } from './dates.js';
import type { PolicyIssue } from './policy.js';
import { parseDate } from './parse.js';
import { cmp, problem, type Problem } from './problem.js';

export const SCENARIO_SCHEMA = 'finproc.scenario/1';

const iso3 = z.string().regex(/^[A-Z]{3}$/, { error: 'expected an ISO 3166-1 alpha-3 code such as CHE' });
const date = z.string({ error: 'expected a date YYYY-MM-DD' }).regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { error: 'expected an ISO date such as 2026-07-01' });
const states = z.union([z.array(iso3), z.record(iso3, date)], { error: 'expected a list of ISO3 codes, or a map ISO3 → date' });
/** Values are checked by the policy rules after the merge; here only their shape. */
const keys = z.record(z.string(), z.unknown());

const scenarioSchema = z.strictObject({
  schema: z.literal(SCENARIO_SCHEMA, { error: `expected "${SCENARIO_SCHEMA}"` }),
  id: z.string({ error: 'expected an id' }).regex(/^[a-z0-9][a-z0-9._-]*$/, { error: 'expected an id of lower-case letters, digits, ".", "_" or "-"' }),
  title: z.string({ error: 'expected a title' }).min(1, { error: 'must not be empty' }),
  note: z.string().optional(),
  split: z.record(z.string(), z.unknown()).optional(),
  categories: z.record(z.string(), keys).optional(),
  remove: z.array(z.string()).optional(),
  rounding: keys.optional(),
  pro_rata: z.unknown().optional(),
  scale: z.strictObject({ column: z.string().min(1).optional(), unrated: z.unknown().optional() }).optional(),
  membership: z.strictObject({ join: states.optional(), leave: states.optional() }).optional(),
});

export interface Scenario {
  id: string;
  title: string;
  note?: string;
  /** Category id → percent, as written. */
  split?: Record<string, string>;
  categories?: Record<string, Record<string, unknown>>;
  remove?: string[];
  rounding?: Record<string, unknown>;
  pro_rata?: unknown;
  scale?: { column?: string; unrated?: unknown };
  /** ISO3 → date (entry into force for join, withdrawal effective for leave); null: 1 January. */
  join?: [string, string | null][];
  leave?: [string, string | null][];
}

export function validateScenario(raw: unknown): { scenario?: Scenario; issues: PolicyIssue[] } {
  const parsed = scenarioSchema.safeParse(raw, { jitless: true, reportInput: true });
  if (!parsed.success) {
    const issues: PolicyIssue[] = [];
    for (const i of parsed.error.issues) {
      const path = i.path.map((k) => (typeof k === 'number' ? k : String(k)));
      if (i.code === 'unrecognized_keys') for (const k of i.keys) issues.push({ code: 'scenario-schema', path: [...path, k], atKey: true, message: `unknown key "${k}"`, hint: 'see docs/simulate.md for the keys a scenario may have' });
      else issues.push({ code: 'scenario-schema', path, message: i.message.replace(/^Invalid input: /, '') });
    }
    return { issues };
  }
  const s = parsed.data;
  const issues: PolicyIssue[] = [];
  for (const [id, v] of Object.entries(s.split ?? {})) if (typeof v !== 'string') issues.push({ code: 'scenario-schema', path: ['split', id], message: 'expected a percentage as a quoted decimal string such as "25"' });
  for (const [id, c] of Object.entries(s.categories ?? {})) if ('id' in c) issues.push({ code: 'scenario-schema', path: ['categories', id, 'id'], atKey: true, message: 'a category is named by its key here; it cannot be renamed', hint: 'remove the category and add a new one under the new id' });
  const list = (v: z.infer<typeof states> | undefined): [string, string | null][] | undefined =>
    v === undefined ? undefined : Array.isArray(v) ? v.map((k): [string, null] => [k, null]) : Object.entries(v).sort(([a], [b]) => cmp(a, b));
  const join = list(s.membership?.join);
  const leave = list(s.membership?.leave);
  for (const [kind, xs] of [['join', s.membership?.join], ['leave', s.membership?.leave]] as const)
    if (Array.isArray(xs)) xs.forEach((k, i) => xs.indexOf(k) !== i && issues.push({ code: 'scenario-member', path: ['membership', kind, i], message: `${k} is listed twice`, hint: 'name each State once' }));
  for (const [k] of join ?? []) if (leave?.some(([l]) => l === k)) issues.push({ code: 'scenario-member', path: ['membership', 'leave'], message: `${k} both joins and leaves` });
  for (const [kind, list] of [['join', join], ['leave', leave]] as const)
    for (const [k, d] of list ?? []) {
      const r = d === null ? undefined : parseDate(d);
      if (r && !r.ok) issues.push({ code: 'scenario-schema', path: ['membership', kind, k], message: r.message, hint: r.hint });
    }
  if (issues.length) return { issues };
  // Titles and notes go to terminals and tables: one line, no control character.
  const line = (t: string) => t.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
  return {
    scenario: {
      id: s.id,
      title: line(s.title),
      ...(s.note !== undefined ? { note: line(s.note) } : {}),
      ...(s.split ? { split: s.split as Record<string, string> } : {}),
      ...(s.categories ? { categories: s.categories } : {}),
      ...(s.remove ? { remove: s.remove } : {}),
      ...(s.rounding ? { rounding: s.rounding } : {}),
      ...(s.pro_rata !== undefined ? { pro_rata: s.pro_rata } : {}),
      ...(s.scale ? { scale: s.scale } : {}),
      ...(join ? { join } : {}),
      ...(leave ? { leave } : {}),
    },
    issues: [],
  };
}

type Raw = Record<string, unknown>;

/**
 * The baseline policy as written, with the scenario applied. `issues` are the scenario's
 * own mistakes (a category it names that does not exist), with their scenario path.
 */
export function overlayPolicy(base: Raw, s: Scenario, year: number): { raw: Raw; issues: PolicyIssue[] } {
  const raw = structuredClone(base);
  const issues: PolicyIssue[] = [];
  let cats = Array.isArray(raw.categories) ? (raw.categories as Raw[]) : [];
  const idOf = (c: Raw) => String(c.id);
  (s.remove ?? []).forEach((id, i) => {
    if (!cats.some((c) => idOf(c) === id)) issues.push({ code: 'scenario-schema', path: ['remove', i], message: `the baseline policy has no category "${id}"`, hint: `its categories: ${cats.map(idOf).join(', ')}` });
    cats = cats.filter((c) => idOf(c) !== id);
  });
  for (const [id, keys] of Object.entries(s.categories ?? {})) {
    const c = cats.find((x) => idOf(x) === id);
    if (!c) {
      cats.push({ id, ...keys });
      continue;
    }
    for (const [k, v] of Object.entries(keys)) {
      c[k] = v;
      if (k === 'share') delete c.amount;
      if (k === 'amount') delete c.share;
    }
  }
  for (const [id, pct] of Object.entries(s.split ?? {})) {
    const c = cats.find((x) => idOf(x) === id);
    if (!c) {
      issues.push({ code: 'scenario-schema', path: ['split', id], atKey: true, message: `there is no category "${id}" to give a share`, hint: `categories: ${cats.map(idOf).join(', ')}` });
      continue;
    }
    c.share = pct;
    delete c.amount;
  }
  raw.categories = cats;
  if (s.rounding) raw.rounding = { ...((raw.rounding as Raw | undefined) ?? {}), ...s.rounding };
  if (s.pro_rata !== undefined) raw.pro_rata = s.pro_rata;
  const scale = { ...((raw.scale as Raw | undefined) ?? {}) };
  if (s.scale?.column !== undefined) scale.periods = [{ from: String(year), to: String(year), column: s.scale.column }];
  if (s.scale?.unrated !== undefined) scale.unrated = s.scale.unrated;
  raw.scale = scale;
  raw.source = `Scenario "${s.id}" (${s.title}) applied to: ${String(raw.source ?? '')}`;
  return { raw, issues };
}

/**
 * Where a key of the merged policy came from: its path in the scenario, or undefined when
 * the baseline policy wrote it. `field` is dotted, categories named by id
 * (`categories.scale.bounds.max`), as the engine reports it.
 */
export function scenarioPathOf(s: Scenario, base: Raw, field: string): (string | number)[] | undefined {
  const segs = field.split('.');
  const baseIds = new Set((Array.isArray(base.categories) ? (base.categories as Raw[]) : []).map((c) => String(c.id)));
  if (segs[0] === 'categories') {
    const id = segs[1];
    if (id === undefined) return s.split ? ['split'] : s.categories ? ['categories'] : s.remove ? ['remove'] : undefined;
    const key = segs[2];
    if (key === 'share' && s.split?.[id] !== undefined) return ['split', id];
    const over = s.categories?.[id];
    if (over && !baseIds.has(id)) return ['categories', id, ...segs.slice(2)];
    if (over && key !== undefined && key in over) return ['categories', id, ...segs.slice(2)];
    if (key === undefined && (over || s.split?.[id] !== undefined)) return over ? ['categories', id] : ['split', id];
    return undefined;
  }
  if (segs[0] === 'rounding' && segs[1] !== undefined && s.rounding && segs[1] in s.rounding) return segs;
  if (segs[0] === 'rounding' && segs[1] === undefined && s.rounding) return ['rounding'];
  if (segs[0] === 'pro_rata' && s.pro_rata !== undefined) return ['pro_rata'];
  if (segs[0] === 'scale' && segs[1] === 'periods' && s.scale?.column !== undefined) return ['scale', 'column'];
  if (segs[0] === 'scale' && segs[1] === 'unrated' && s.scale?.unrated !== undefined) return segs;
  return undefined;
}

/** A policy issue's path (categories by index in the merged policy) as a dotted field (categories by id). */
export function fieldOf(raw: Raw, path: (string | number)[]): string {
  const cats = Array.isArray(raw.categories) ? (raw.categories as Raw[]) : [];
  if (path[0] === 'categories' && typeof path[1] === 'number' && cats[path[1]]) return ['categories', String(cats[path[1]]!.id), ...path.slice(2)].join('.');
  return path.join('.');
}

/**
 * The reference data with the scenario's membership changes. Joining: a State of
 * states.csv that is not bound during the year; leaving: a State that is.
 */
export function applyMembership(ref: ReferenceData, s: Scenario, year: number): { ref: ReferenceData; problems: Problem[] } {
  if (!s.join && !s.leave) return { ref, problems: [] };
  const problems: Problem[] = [];
  const parties = new Map<string, PartyRecord>(ref.parties.map((p) => [p.iso3, p]));
  const bound = (p: PartyRecord | undefined) => p?.entryIntoForce !== undefined && boundDuring({ from: p.entryIntoForce, until: p.withdrawalEffective }, year);
  const first = `${year}-01-01`;
  const last = `${year}-12-31`;
  for (const [iso3, d] of s.join ?? []) {
    const field = `membership.join.${iso3}`;
    const p = parties.get(iso3);
    if (!ref.states.has(iso3)) problems.push(problem('iso3-unknown', `${iso3} is not in states.csv`, { field, hint: 'check the code (ISO 3166-1 alpha-3)' }));
    else if (bound(p)) problems.push(problem('scenario-member', `${iso3} is already a State Party bound in ${year}: it cannot join`, { field, hint: 'take it out of membership.join' }));
    else if (d !== null && (d < first || d > last)) problems.push(problem('scenario-member', `entry into force ${d} for ${iso3} is not in ${year}`, { field, hint: `give a date from ${first} to ${last}, or none for the whole year` }));
    else parties.set(iso3, { iso3, name: p?.name ?? ref.states.get(iso3)!.nameEn, entryIntoForce: d ?? first });
  }
  for (const [iso3, d] of s.leave ?? []) {
    const field = `membership.leave.${iso3}`;
    const p = parties.get(iso3);
    if (!ref.states.has(iso3)) problems.push(problem('iso3-unknown', `${iso3} is not in states.csv`, { field, hint: 'check the code (ISO 3166-1 alpha-3)' }));
    else if (!bound(p)) problems.push(problem('scenario-member', `${iso3} is not a State Party bound in ${year}: it cannot leave`, { field, hint: 'take it out of membership.leave' }));
    else if (d !== null && (d <= p!.entryIntoForce! || d < first || d > last)) problems.push(problem('scenario-member', `withdrawal ${d} for ${iso3} is not in ${year} after its entry into force`, { field, hint: `give a date from ${first} to ${last}, or none to leave from 1 January` }));
    else parties.set(iso3, { ...p!, withdrawalEffective: d ?? first });
  }
  return { ref: { ...ref, parties: [...parties.values()].sort((a, b) => cmp(a.iso3, b.iso3)) }, problems };
}
