/**
 * `--timings`: where the wall time of one command went, phase by phase, on stderr (never in
 * the output: it depends on the clock and the machine). Each `lap` closes the phase that ran
 * since the last one; `within` counts time spent inside another phase (the reading of the
 * entries, inside their planning) and takes it off the phase it ran in.
 */
export class Laps {
  /** Since the process started (performance.now counts from then): Node.js and the program loading. */
  private readonly startUp = performance.now();
  private last = this.startUp;
  private readonly parts = new Map<string, number>();
  private inside = 0;

  /** The phase that just ended, named. */
  lap(name: string): void {
    const now = performance.now();
    this.add(name, now - this.last - this.inside);
    this.inside = 0;
    this.last = now;
  }

  /** f, timed as `name`, inside the phase running now. */
  within<T>(name: string, f: () => T): T {
    const t = performance.now();
    try {
      return f();
    } finally {
      const ms = performance.now() - t;
      this.add(name, ms);
      this.inside += ms;
    }
  }

  private add(name: string, ms: number): void {
    this.parts.set(name, (this.parts.get(name) ?? 0) + ms);
  }

  /** One line per phase, in the order they first ran, then the total since the process started. */
  text(): string {
    const rows = [['start-up (Node.js, the program)', this.startUp] as const, ...this.parts];
    const total = rows.reduce((a, [, ms]) => a + ms, 0);
    const w = Math.max(...rows.map(([n]) => n.length), 5);
    return `timings (wall time, ms):\n${rows.map(([n, ms]) => `  ${n.padEnd(w)} ${ms.toFixed(0).padStart(6)}\n`).join('')}  ${'total'.padEnd(w)} ${total.toFixed(0).padStart(6)}\n`;
  }
}
