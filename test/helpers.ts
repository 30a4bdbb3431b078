/**
 * Test builders: policies and payers in memory (no files), temporary books directories made
 * from the example books with a change, and the CLI run in-process with captured output.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import type { Payer } from '../src/core/apportion.js';
import { D } from '../src/core/decimal.js';
import { validatePolicy, type Policy } from '../src/core/policy.js';
import { main } from '../src/cli/main.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DATA = path.join(ROOT, 'data');

/** A policy from a plain object written as in YAML, or undefined if it is not valid. */
export function tryPolicyOf(raw: Record<string, unknown>): Policy | undefined {
  try {
    return policyOf(raw);
  } catch {
    return undefined;
  }
}

/** A policy from a plain object written as in YAML (every scalar a string). */
export function policyOf(raw: Record<string, unknown>): Policy {
  const full = {
    schema: 'finproc.policy/1',
    id: 'test',
    title: 'test policy',
    source: 'test',
    scale: { periods: [{ from: '2000', to: '2099', column: 'rate' }], unrated: { rule: 'error' } },
    ...raw,
  };
  const { policy, issues } = validatePolicy(JSON.parse(JSON.stringify(full)));
  if (!policy) throw new Error(`bad test policy: ${JSON.stringify(issues)}`);
  return policy;
}

export function payer(iso3: string, rate: string | null, extra: Partial<Payer> = {}): Payer {
  return { iso3, name: iso3, ldc: false, months: 12, rate: rate === null ? null : D(rate), rateSource: rate === null ? null : 'un', ...extra };
}

/** A copy of the example books in a temporary directory, with files replaced or edited. */
export function booksWith(changes: Record<string, string | ((text: string) => string)> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'finproc-books-'));
  cpSync(DATA, dir, { recursive: true });
  for (const [file, change] of Object.entries(changes)) {
    const p = path.join(dir, file);
    const next = typeof change === 'function' ? change(readFileSync(p, 'utf8')) : change;
    writeFileSync(p, next);
  }
  return dir;
}

export function yamlOf(obj: unknown): string {
  return stringify(obj);
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function capture(isTTY: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  const s = new PassThrough();
  const chunks: Buffer[] = [];
  s.on('data', (c: Buffer) => chunks.push(c));
  const stream = Object.assign(s, { isTTY, hasColors: () => isTTY, columns: 100 }) as unknown as NodeJS.WriteStream;
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

/** Run the CLI in-process (same code as bin/finproc.cjs), output captured. */
export async function run(args: string[], opts: { env?: NodeJS.ProcessEnv; tty?: boolean; cwd?: string } = {}): Promise<Run> {
  const out = capture(opts.tty ?? false);
  const err = capture(opts.tty ?? false);
  const code = await main(args, { stdout: out.stream, stderr: err.stream, env: opts.env ?? {}, cwd: opts.cwd ?? ROOT });
  await new Promise((r) => setImmediate(r));
  return { code, stdout: out.text(), stderr: err.text() };
}
