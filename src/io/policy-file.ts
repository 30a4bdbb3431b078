/**
 * Reading a policy file: YAML (failsafe schema: every scalar a string) → zod → Policy.
 * Every issue points at the line and column of the key it is about.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import { validatePolicy, type Policy, type PolicyIssue } from '../core/policy.js';
import { problem, type Problem } from '../core/problem.js';

export interface PolicyFile {
  file: string;
  policy?: Policy;
  /** The policy as written (every scalar a string), for scenarios to change. */
  raw?: unknown;
  problems: Problem[];
  /** Locate a dotted field from the engine (`categories.scale.bounds`) in this file. */
  /** `atKey`: point at the key (an ISO3 code in a map) rather than at its value. */
  locate: (field: string | undefined, atKey?: boolean) => Pick<Problem, 'file' | 'line' | 'column' | 'excerpt' | 'width'>;
}

export function readPolicy(file: string, text: string): PolicyFile {
  const y = readYaml(file, text, 'policy-yaml');
  if (y.raw === undefined) return { file, problems: y.problems, locate: y.locate };
  const { policy, issues } = validatePolicy(y.raw);
  const problems = [...y.problems, ...issues.map((i) => issueToProblem(i, y.locatePath(i.path, i.atKey)))];
  return { file, ...(policy ? { policy } : {}), raw: y.raw, problems, locate: y.locate };
}

export interface YamlFile {
  /** The document as a value (every scalar a string), if it could be read. */
  raw?: unknown;
  problems: Problem[];
  locate: PolicyFile['locate'];
  locatePath: (path: (string | number)[], atKey?: boolean) => ReturnType<PolicyFile['locate']>;
}

/** A YAML document read with the failsafe schema, and a way to point at any key of it. */
export function readYaml(file: string, text: string, code: 'policy-yaml' | 'scenario-schema'): YamlFile {
  const lc = new LineCounter();
  // uniqueKeys is checked below, in linear time: the yaml package compares each key with every
  // earlier one (a policy with 30,000 keys took minutes).
  const doc = parseDocument(text, { schema: 'failsafe', lineCounter: lc, uniqueKeys: false, prettyErrors: false });
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const at = (offset: number, width = 1) => {
    const pos = lc.linePos(offset);
    return { file, line: pos.line, column: pos.col, excerpt: lines[pos.line - 1] ?? '', width: Math.max(1, width) };
  };
  const problems: Problem[] = [];
  for (const e of doc.errors) {
    let message = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    if (e.code === 'MULTIPLE_DOCS') message = 'the file holds more than one YAML document (a line "---" or "..."): a policy or a scenario is one document';
    if (e.code === 'DUPLICATE_KEY') message = `the key "${(/^[^:\n]*/.exec(text.slice(e.pos[0]))?.[0] ?? '').trim().replace(/^["']|["']$/g, '')}" appears twice in the same map`;
    problems.push(problem(code, `not valid YAML: ${message}`, { ...at(e.pos[0], e.pos[1] - e.pos[0]), hint: 'check indentation and quotes; a value with ": " or "#" must be quoted' }));
  }
  const locatePath = (path: (string | number)[], atKey = false) => nodeAt(doc, path, atKey, at) ?? { file, line: 1, column: 1, excerpt: lines[0] ?? '', width: 1 };
  const locate = (field: string | undefined, atKey = false) => locatePath(field ? fieldToPath(doc, field) : [], atKey);
  visit(doc, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const k = String(pair.key.value);
        if (!seen.has(k)) {
          seen.add(k);
          continue;
        }
        const r = (pair.key as Node).range!;
        problems.push(problem(code, `not valid YAML: the key "${k}" appears twice in the same map`, { ...at(r[0], r[1] - r[0]), hint: 'check indentation and quotes; a value with ": " or "#" must be quoted' }));
      }
    },
  });
  // A key such as __proto__ would be lost (or worse) when the document becomes an object.
  visit(doc, {
    Pair(_, pair) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (key === '__proto__' || key === 'constructor' || key === 'prototype') {
        const r = (pair.key as Node).range!;
        problems.push(problem(code === 'policy-yaml' ? 'policy-schema' : code, `a key named "${key}" is not allowed`, { ...at(r[0], r[1] - r[0]), hint: 'rename the key (ISO3 codes and the keys of docs/policy.md only)' }));
      }
    },
  });
  if (problems.length > 0) return { problems, locate, locatePath };
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 50 });
  } catch (e) {
    // An alias (`*name`) with no anchor, or an alias bomb. `*` starts an alias in YAML: a
    // value that begins with it must be quoted.
    const bomb = /excessive alias count/i.test((e as Error).message);
    const name = /alias[^:]*: (\S+)/.exec((e as Error).message)?.[1]?.replace(/\*$/, '');
    // The alias named in the message, or, for a bomb, the first alias of the file.
    const first = /\*[A-Za-z0-9_-]+/.exec(text);
    const offset = name ? text.indexOf(`*${name}`) : bomb && first ? first.index : -1;
    const width = name ? name.length + 1 : first ? first[0].length : 1;
    problems.push(
      problem(code, `not valid YAML: ${(e as Error).message.split('\n')[0]}`, {
        ...(offset >= 0 ? at(offset, width) : { file, line: 1, column: 1, excerpt: lines[0] ?? '', width: 1 }),
        hint: bomb ? 'aliases that multiply the document are refused: write the values out (a policy needs no anchors)' : 'a value that starts with "*" or "&" must be quoted, e.g. name: "*Equal*"',
      }),
    );
    return { problems, locate, locatePath };
  }
  return { raw, problems, locate, locatePath };
}

export function issueToProblem(i: PolicyIssue, where: ReturnType<PolicyFile['locate']>): Problem {
  return problem(i.code, i.message, { ...where, field: i.path.join('.') || '(top level)', ...(i.hint ? { hint: i.hint } : {}) });
}

/** The deepest node on the path that exists: a missing key points at its parent. */
function nodeAt(doc: Document, path: (string | number)[], atKey: boolean, at: (offset: number, width?: number) => ReturnType<PolicyFile['locate']>) {
  let node: unknown = doc.contents;
  let best: { range: [number, number] } | undefined = rangeOf(node);
  for (let k = 0; k < path.length; k++) {
    const seg = path[k]!;
    if (isMap(node)) {
      const pair = pairIndex(node).get(String(seg));
      if (!pair) break;
      if (atKey && k === path.length - 1) {
        best = rangeOf(pair.key) ?? best;
        break;
      }
      node = pair.value;
      best = rangeOf(node) ?? rangeOf(pair.key) ?? best;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
      if (node === undefined) break;
      best = rangeOf(node) ?? best;
    } else break;
  }
  if (!best) return undefined;
  const [s, e] = best.range;
  return at(s, isScalar(node) ? e - s : 1);
}

// Each map's pairs by key, built once: locating every one of n problems in a map of n keys
// (a policy with 30,000 unknown keys) stays linear, not n².
const indexes = new WeakMap<object, Map<string, { key: unknown; value: unknown }>>();
function pairIndex(map: { items: unknown[] }): Map<string, { key: unknown; value: unknown }> {
  let ix = indexes.get(map);
  if (!ix) {
    ix = new Map();
    for (const p of map.items) if (isPair(p) && isScalar(p.key) && !ix.has(String(p.key.value))) ix.set(String(p.key.value), p as { key: unknown; value: unknown });
    indexes.set(map, ix);
  }
  return ix;
}

function rangeOf(n: unknown): { range: [number, number] } | undefined {
  const r = (n as Node | undefined)?.range;
  return r ? { range: [r[0], r[1]] } : undefined;
}

/** `categories.scale.bounds` → ['categories', 1, 'bounds'] (category ids become indexes). */
function fieldToPath(doc: Document, field: string): (string | number)[] {
  const segs: (string | number)[] = field.split('.').map((x) => (/^\d+$/.test(x) ? Number(x) : x));
  if (segs[0] === 'categories' && segs[1] !== undefined) {
    const cats = doc.get('categories', true);
    if (isSeq(cats)) {
      const idx = cats.items.findIndex((c) => isMap(c) && String(c.get('id')) === String(segs[1]));
      if (idx >= 0) return ['categories', idx, ...segs.slice(2)];
    }
  }
  return segs;
}
