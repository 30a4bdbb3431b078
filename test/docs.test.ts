/**
 * The documentation stays true: the example policy written out in docs/policy.md is valid
 * and apportions a budget, and the README's commands are the ones package.json runs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { booksWith, ROOT, run } from './helpers.js';

describe('docs/policy.md', () => {
  it('its step-by-step example policy is valid and shares CHF 600,000 exactly', async () => {
    const doc = readFileSync(path.join(ROOT, 'docs', 'policy.md'), 'utf8');
    const yaml = /### Writing a policy for another treaty[\s\S]*?```yaml\n([\s\S]*?)```/.exec(doc)![1]!;
    const dir = booksWith({ 'example.yaml': yaml, 'budgets.csv': (t) => t + '2027,600000.00,CHF,example.yaml,doc example\n' });
    const c = await run(['check', '--books', dir, '--year', '2027'], { cwd: dir });
    expect(c.stderr).toBe('');
    expect(c.code).toBe(0);
    const r = await run(['apportion', '--books', dir, '--year', '2027', '--format', 'json'], { cwd: dir });
    const out = JSON.parse(r.stdout) as { lines: { iso3: string; category: string; amount: string }[]; categories: { id: string; amount: string }[] };
    expect(out.categories.map((k) => [k.id, k.amount])).toEqual([
      ['equal', '60000'],
      ['scale', '540000'],
    ]);
    // The host's fixed shares: 5 % of each category, 5 % of the budget in all (by hand: 3,000 + 27,000).
    expect(out.lines.filter((l) => l.iso3 === 'CHE').map((l) => [l.category, l.amount])).toEqual([
      ['equal', '3000'],
      ['scale', '27000'],
    ]);
    expect(out.lines.reduce((s, l) => s + BigInt(l.amount), 0n)).toBe(600000n);
  });
});

describe('README', () => {
  it('opens with the two commands, and they are the ones package.json defines', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const head = readme.split('\n').slice(0, 15).join('\n');
    expect(head).toContain('npm ci && npm start');
    expect(head).toContain('npm ci && npm test');
    expect(pkg.scripts.start).toContain('apportion');
    expect(pkg.scripts.test).toContain('vitest run');
  });
});
