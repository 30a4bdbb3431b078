/**
 * Charts: Vega-Lite specifications compiled and rendered to SVG in Node at report time
 * (`vega.View(…, { renderer: 'none' }).toSVG()`), so the HTML pages stay self-contained and
 * work offline: no script, no browser, nothing fetched.
 *
 * Same inputs → same bytes: the SVG of a chart depends only on its specification. Vega
 * numbers clip paths and gradients with counters that live as long as the process; they
 * are renumbered here under a prefix of the caller's (unique in the page), and long
 * coordinates are rounded to 0.01 px. Months and categories are ordinal strings, never
 * dates (a date scale would follow the machine's time zone). Numbers on the axes use Swiss
 * grouping (1'234), set once for Vega's formatter, never the machine's locale.
 *
 * Tooltips: the `description` channel (Vega writes it as `aria-label`) is turned into an
 * SVG `<title>` on the same mark, which every browser shows on hover without a script.
 *
 * vega and vega-lite are ES modules only; the bundle is CommonJS and is run through a
 * vm.Script (scripts/load-bundle.cjs), where `import()` has no loader. The loader puts a
 * real `import()` at `globalThis[Symbol.for('finproc.import')]`; outside the bundle (tests,
 * tsx) the module's own `import()` is used.
 */
import type { TopLevelSpec } from 'vega-lite';

type Vega = typeof import('vega');
type VegaLite = typeof import('vega-lite');

const IMPORT = Symbol.for('finproc.import');

async function importEsm<T>(id: string): Promise<T> {
  const hook = (globalThis as Record<symbol, unknown>)[IMPORT] as ((id: string) => Promise<T>) | undefined;
  return hook ? hook(id) : ((await import(id)) as T);
}

let libs: Promise<{ vega: Vega; vl: VegaLite }> | undefined;

function load(): Promise<{ vega: Vega; vl: VegaLite }> {
  libs ??= (async () => {
    const [vega, vl] = await Promise.all([importEsm<Vega>('vega'), importEsm<VegaLite>('vega-lite')]);
    // Swiss grouping on the axes, as in the tables: 1'234'567 (d3-format's own data, not Intl).
    vega.formatLocale({ decimal: '.', thousands: "'", grouping: [3], currency: ['CHF ', ''], minus: '-' });
    return { vega, vl };
  })();
  return libs;
}

/** Warnings of Vega-Lite and Vega while compiling and rendering the last charts (tests assert there are none). */
export const chartWarnings: string[] = [];

/** Fonts and colours shared by every chart of finproc. */
export const CHART_CONFIG = {
  font: 'system-ui, sans-serif',
  background: 'white',
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 600, labelColor: '#333', titleColor: '#222', gridColor: '#e6e6e6' },
  header: { labelFontSize: 12, titleFontSize: 12, labelFontWeight: 600 },
  legend: { labelFontSize: 11, titleFontSize: 12, orient: 'top' },
  title: { fontSize: 14, fontWeight: 600, anchor: 'start', color: '#222', subtitleColor: '#555', subtitleFontSize: 11 },
} as const;

/** Colours: a pay rise in red, a fall in blue (distinguishable with the common colour-vision deficiencies). */
export const INCREASE = '#c0392b';
export const DECREASE = '#2166ac';

/**
 * Render a Vega-Lite specification to SVG text. `prefix` makes the ids unique in the page
 * (two charts in one HTML document must not both define `clip1`).
 */
export async function renderChart(spec: TopLevelSpec, prefix: string): Promise<string> {
  const { vega, vl } = await load();
  const logger = {
    level: (_?: number) => logger as never,
    error: (...a: unknown[]) => {
      throw new Error(`chart ${prefix}: ${a.map(String).join(' ')}`);
    },
    warn: (...a: unknown[]) => {
      chartWarnings.push(`${prefix}: ${a.map(String).join(' ')}`);
      return logger as never;
    },
    info: () => logger as never,
    debug: () => logger as never,
  };
  const compiled = vl.compile(spec, { logger: logger as never }).spec;
  vega.resetSVGDefIds();
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.Warn, logger: logger as never });
  try {
    return finishSvg(await view.toSVG(), prefix);
  } finally {
    view.finalize();
  }
}

/**
 * Make Vega's SVG text deterministic and self-describing: ids renumbered under `prefix` in
 * order of appearance, coordinates rounded to 0.01, each mark's description as a `<title>`.
 */
export function finishSvg(svg: string, prefix: string): string {
  const ids = new Map<string, string>();
  for (const m of svg.matchAll(/\sid="([^"]+)"/g)) if (!ids.has(m[1]!)) ids.set(m[1]!, `${prefix}-${ids.size + 1}`);
  let out = svg.replace(/(\sid="|url\(#)([^")]+)/g, (all, lead: string, id: string) => (ids.has(id) ? `${lead}${ids.get(id)}` : all));
  // Inside tags only (never in text), outside aria-label: 33.33333333333333 → 33.33.
  out = out.replace(/<[^>]+>/g, (tag) =>
    tag.replace(/(aria-label="[^"]*")|(-?\d+\.\d{3,})/g, (all, label: string | undefined, num: string | undefined) => {
      if (label !== undefined || num === undefined) return all;
      const r = Math.round(Number(num) * 100) / 100;
      return String(Object.is(r, -0) ? 0 : r);
    }),
  );
  // A described mark (bar, point, rule…) gets its description as a tooltip.
  out = out.replace(/<(path|line|rect|circle)((?:\s[^>]*?)?)\saria-label="([^"]*)"([^>]*?)\/>/g, (all, tag: string, before: string, label: string, after: string) =>
    /role="graphics-symbol"/.test(before + after) ? `<${tag}${before} aria-label="${label}"${after}><title>${label}</title></${tag}>` : all,
  );
  // The XML prolog's namespace for xlink is unused (no links are drawn).
  return out.replace(' xmlns:xlink="http://www.w3.org/1999/xlink"', '');
}
