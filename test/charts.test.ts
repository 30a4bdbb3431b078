/**
 * Charts (vega-lite rendered to SVG in Node) and terminal tables (fit COLUMNS, colour only
 * where wanted): issue 14, "Simulation people can read at a glance".
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chartWarnings, finishSvg } from '../src/render/charts.js';
import { fitTable, textTable, type Column } from '../src/render/text.js';
import { handBooks } from './cashflow-books.js';
import { ROOT, run } from './helpers.js';

const bin = path.join(ROOT, 'bin', 'finproc.cjs');
const SCENARIOS = ['base-all', 'ceiling-10', 'equal-25', 'ratify-10', 'scale-2022', 'scale-only', 'whole-francs'].map((x) => `data/scenarios/${x}.yaml`);
const ESC = /\x1b\[[0-9;]*m/g;

/** The SVG of each chart in a page, in order. */
const svgs = (html: string) => html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
/** Display width of a terminal line: code points, colour codes left out. */
const cols = (l: string) => [...l.replace(ESC, '')].length;

interface SimJson {
  states: { iso3: string; name: string; baseline: string | null; scenarios: Record<string, string | null> }[];
}

describe('simulate HTML: charts drawn by vega-lite', () => {
  it('the same bytes from the bundle (loading vega through its import hook, another time zone and locale) and twice in the test process', async () => {
    const args = ['simulate', '--year', '2026', '--scenario', ...SCENARIOS.slice(0, 3), '--group', 'ldc', '--format', 'html'];
    const a = spawnSync(process.execPath, [bin, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, TZ: 'Pacific/Kiritimati', LANG: 'fr_CH.UTF-8', LC_ALL: 'fr_CH.UTF-8' } });
    expect(a.status, a.stderr).toBe(0);
    // In one process Vega's id counters keep counting: the ids are renumbered per chart.
    const c = await run(args);
    const d = await run(args);
    expect(c.stdout).toBe(a.stdout);
    expect(d.stdout).toBe(c.stdout);
    // 3 scenarios + 10 indicators; ids unique in the page.
    expect(svgs(a.stdout)).toHaveLength(13);
    const ids = [...a.stdout.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    for (const m of a.stdout.matchAll(/url\(#([^)]+)\)/g)) expect(ids).toContain(m[1]);
    // Self-contained: no script, no link, no URL but the SVG namespace.
    expect(a.stdout).not.toMatch(/<script|<link|src=|href=/);
    expect(a.stdout.replace(/http:\/\/www\.w3\.org\/2000\/svg/g, '')).not.toMatch(/https?:/);
    expect(chartWarnings).toEqual([]);
  });

  it('one bar per State in each scenario, coloured by direction, with the exact amounts as tooltips', async () => {
    const sc = 'data/scenarios/ceiling-10.yaml';
    const html = (await run(['simulate', '--year', '2026', '--scenario', sc, '--format', 'html'])).stdout;
    const json = JSON.parse((await run(['simulate', '--year', '2026', '--scenario', sc, '--format', 'json'])).stdout) as SimJson;
    const chart = svgs(html)[0]!;
    const bars = [...chart.matchAll(/<path [^>]*aria-roledescription="bar"[^>]*>(?:<title>([^<]*)<\/title>)?/g)];
    const payers = json.states.filter((s) => s.baseline !== null || s.scenarios['ceiling-10'] !== null);
    expect(bars).toHaveLength(payers.length);
    expect(payers.length).toBe(112);
    // Every bar has a tooltip naming its State, and every State has one bar.
    const tips = bars.map((b) => b[1]!);
    expect(tips.map((t) => /\(([A-Z]{3})\)/.exec(t)![1]).sort()).toEqual(payers.map((s) => s.iso3).sort());
    // Japan: the amounts of the JSON, the difference and the percent.
    const jpn = json.states.find((s) => s.iso3 === 'JPN')!;
    expect(jpn.baseline).toBe('89340.85');
    expect(jpn.scenarios['ceiling-10']).toBe('62880.84');
    expect(tips).toContain("Japan (JPN): 89'340.85 → 62'880.84 CHF; -26'460.01 CHF (-29.62 %)");
    // Colours: red for the States that pay more, blue for those that pay less.
    const fill = (iso3: string) => new RegExp(`fill="(#[0-9a-f]{6})"[^>]*><title>[^<]*\\(${iso3}\\)`).exec(chart)?.[1];
    expect(fill('JPN')).toBe('#2166ac');
    expect(fill('GBR')).toBe('#c0392b');
    // Axis title with the unit, and the LDC / non-LDC panels.
    expect(chart).toContain('>change (CHF)</text>');
    expect(chart).toMatch(/>LDC<\/text>/);
    expect(chart).toMatch(/>non-LDC<\/text>/);
    // Largest increase on top: GBR's bar is above every other non-LDC bar.
    const y = (iso3: string) => Number(new RegExp(`d="M[-\\d.]+,([-\\d.]+)[^"]*"[^>]*><title>[^<]*\\(${iso3}\\)`).exec(chart)![1]);
    expect(y('GBR')).toBeLessThan(y('FRA'));
    expect(y('FRA')).toBeLessThan(y('JPN'));
  });

  it('--group region: one panel per region', async () => {
    const html = (await run(['simulate', '--year', '2026', '--scenario', 'data/scenarios/equal-25.yaml', '--group', 'region', '--format', 'html'])).stdout;
    const chart = svgs(html)[0]!;
    for (const r of ['Africa', 'Americas', 'Asia', 'Europe', 'Oceania']) expect(chart).toContain(`>${r}</text>`);
  });

  it('indicator charts: units on the axes, a tooltip per scenario', async () => {
    const html = (await run(['simulate', '--year', '2026', '--scenario', ...SCENARIOS, '--format', 'html'])).stdout;
    const charts = svgs(html);
    expect(charts).toHaveLength(7 + 10);
    const ind = charts.slice(7).join('\n');
    for (const unit of ['CHF', 'States', 'percent', 'points of 10,000']) expect(ind).toContain(`>${unit}</text>`);
    expect(ind).toContain('<title>ceiling-10: 101 States</title>');
    expect(ind).toContain("<title>ceiling-10: 5'186.65 CHF</title>");
    // The indicator table in two parts, neither more than 13 columns (a 1200-px page).
    const heads = [...html.matchAll(/<h3>[^<]*<\/h3>\n<table><thead><tr>(.*?)<\/tr>/g)].map((m) => (m[1]!.match(/<th/g) ?? []).length);
    expect(heads).toEqual([13, 11]);
  });
});

describe('cashflow HTML: the chart drawn by vega-lite', () => {
  it('CHF on the axis, month labels, shaded months and points with tooltips; the same bytes twice', async () => {
    const dir = handBooks({ reserve: '120000.00' });
    const args = ['cashflow', '--year', '2026', '--as-of', '2026-01-31', '--books', dir, '--format', 'html', '--stress', '200'];
    const a = (await run(args)).stdout;
    const b = (await run(args, { env: { TZ: 'Pacific/Kiritimati' } })).stdout;
    expect(b).toBe(a);
    const chart = svgs(a)[0]!;
    expect(chart).toContain('>CHF</text>');
    expect(chart).toContain('>month end, 2026</text>');
    for (const m of ['Jan', 'Jun', 'Dec']) expect(chart).toContain(`>${m}</text>`);
    expect(chart).toContain("<title>Apr: reserve drawn CHF 50'000.00</title>");
    expect(chart).toContain("<title>Jun: uncovered gap CHF 30'000.00</title>");
    expect(chart).toContain("<title>Jul: cash CHF -80'000.00</title>");
    expect((chart.match(/aria-roledescription="point"/g) ?? []).length).toBe(24);
    expect(chart).toContain('<title>cash P10–P90 (200 runs)</title>');
  });
});

describe('terminal tables fit COLUMNS', () => {
  const cases: [string, string[]][] = [
    ['simulate, every scenario, by region', ['simulate', '--year', '2026', '--scenario', ...SCENARIOS, '--group', 'region']],
    ['simulate, a sweep', ['simulate', '--year', '2026', '--sweep', 'base=0..40:5']],
    ['simulate, Article 14', ['simulate', '--year', '2026', '--meeting-estimate', '450000.00', '--non-parties', 'largest:3']],
    ['cashflow with --stress and --receipts', ['cashflow', '--year', '2026', '--stress', '200', '--receipts']],
  ];
  for (const [name, args] of cases)
    for (const width of [80, 120])
      it(`${name}: every line ≤ ${width}`, async () => {
        const r = await run(args, { tty: true, env: { COLUMNS: String(width) } });
        expect(r.code).toBe(0);
        const long = r.stdout.split('\n').filter((l) => cols(l) > width);
        expect(long).toEqual([]);
      });

  it('the summary after --out DIR fits too', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'finproc-charts-'));
    const r = await run(['simulate', '--year', '2026', '--scenario', ...SCENARIOS, '--out', out], { tty: true, env: { COLUMNS: '80' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ceiling-10');
    expect(r.stdout.split('\n').filter((l) => cols(l) > 80)).toEqual([]);
    expect(readFileSync(path.join(out, 'simulation-2026.html'), 'utf8')).toContain('<svg ');
  });

  it('says what was left out, and keeps every State and scenario', async () => {
    const r = await run(['simulate', '--year', '2026', '--scenario', ...SCENARIOS], { env: { COLUMNS: '80' } });
    expect(r.stdout).toContain('(Amounts per State, to fit 80 columns: left out the amount in each scenario');
    for (const id of ['base-all', 'ceiling-10', 'whole-francs']) expect(r.stdout).toContain(`Δ ${id}`);
    // Japan's change under ceiling-10, as in the full table.
    expect(r.stdout).toMatch(/^JPN +Japan +89'340\.85 .*-26'460\.01 +-29\.62/m);
  });

  it('piped without COLUMNS: every column, as before', async () => {
    const r = await run(['simulate', '--year', '2026', '--scenario', ...SCENARIOS]);
    expect(Math.max(...r.stdout.split('\n').map(cols))).toBeGreaterThan(200);
    expect(r.stdout).not.toContain('to fit');
  });

  it('cashflow: the stress headline comes before the months; the receipts list only with --receipts', async () => {
    const r = await run(['cashflow', '--year', '2026', '--stress', '200']);
    const at = (s: string) => r.stdout.indexOf(s);
    expect(at('Probability that the reserve is drawn')).toBeGreaterThan(0);
    expect(at('Probability that the reserve is drawn')).toBeLessThan(at('Month '));
    expect(r.stdout).toMatch(/^Receipts expected after 2026-08-17: \d+ with a date .*--receipts lists them/m);
    expect(r.stdout).not.toContain('ISU-2026-109');
    const all = await run(['cashflow', '--year', '2026', '--stress', '200', '--receipts']);
    expect(all.stdout).toContain('ISU-2026-109');
    expect(all.stdout.split('\n').length).toBeGreaterThan(r.stdout.split('\n').length + 150);
  });
});

describe('colour in the per-State table', () => {
  const args = ['simulate', '--year', '2026', '--scenario', 'data/scenarios/ceiling-10.yaml'];
  const red = '\x1b[31m';
  const green = '\x1b[32m';

  it('on a colour terminal: increases red, decreases green', async () => {
    const r = await run(args, { tty: true, env: { COLUMNS: '120' } });
    const gbr = r.stdout.split('\n').find((l) => l.startsWith('GBR'))!;
    expect(gbr).toContain(`${red}+5'186.65`);
    const jpn = r.stdout.split('\n').find((l) => l.startsWith('JPN'))!;
    expect(jpn).toContain(`${green}-26'460.01`);
    expect(jpn).toContain(`${green}-29.62`);
  });

  it('never with NO_COLOR, never when piped; --color forces it when piped', async () => {
    expect((await run(args, { tty: true, env: { NO_COLOR: '1' } })).stdout).not.toMatch(ESC);
    expect((await run(args)).stdout).not.toMatch(ESC);
    expect((await run(['--no-color', ...args], { tty: true })).stdout).not.toMatch(ESC);
    expect((await run(['--color', ...args])).stdout).toContain(red);
  });
});

describe('fitTable', () => {
  const columns: Column[] = [{ title: 'Key' }, { title: 'Text' }, { title: 'A', align: 'right' }, { title: 'B', align: 'right' }, { title: 'C', align: 'right' }];
  const rows = [['k1', 'a long text that can wrap over several lines', '1.00', '22.00', '333.00']];

  it('without a width, or when it fits: exactly textTable', () => {
    expect(fitTable(columns, rows).text).toBe(textTable(columns, rows));
    expect(fitTable(columns, rows, { width: 200 }).text).toBe(textTable(columns, rows));
  });

  it('wraps, then drops, then splits; always within the width when the key and one column fit', () => {
    const word = fc.stringMatching(/^[a-z]{1,8}$/);
    const cell = fc.array(word, { minLength: 1, maxLength: 6 }).map((w) => w.join(' '));
    const num = fc.stringMatching(/^-?\d{1,9}\.\d\d$/);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(fc.tuple(word, cell, num, num, num), { minLength: 1, maxLength: 6 }), fc.integer({ min: 40, max: 120 }), (n, rs, width) => {
        const cs: Column[] = [{ title: 'Key' }, { title: 'Text' }, ...Array.from({ length: 3 * n }, (_, i) => ({ title: `N${i}`, align: 'right' as const }))];
        const rows = rs.map(([k, t, a, b, c]) => [k, t, ...Array.from({ length: n }, () => [a, b, c]).flat()]);
        const f = fitTable(cs, rows, { width, wrap: [1], key: 2 });
        for (const l of f.text.split('\n')) expect(cols(l)).toBeLessThanOrEqual(width);
        // Nothing lost: every number appears in the output.
        for (const r of rows) for (const x of r.slice(2)) expect(f.text).toContain(x);
      }),
      { numRuns: 60 },
    );
  });
});

describe('finishSvg', () => {
  it('renumbers ids under the prefix, rounds coordinates, turns descriptions into titles', () => {
    const svg = '<svg><g clip-path="url(#clip7)"><path aria-label="A &amp; B: 1&#xA;x" role="graphics-symbol" d="M1.23456,2.5h3.333333"/><path aria-label="axis" d="M0,0"/></g><defs><clipPath id="clip7"><rect x="0.1234"/></clipPath></defs></svg>';
    expect(finishSvg(svg, 'c1')).toBe(
      '<svg><g clip-path="url(#c1-1)"><path aria-label="A &amp; B: 1&#xA;x" role="graphics-symbol" d="M1.23,2.5h3.33"><title>A &amp; B: 1&#xA;x</title></path><path aria-label="axis" d="M0,0"/></g><defs><clipPath id="c1-1"><rect x="0.12"/></clipPath></defs></svg>',
    );
  });
});
