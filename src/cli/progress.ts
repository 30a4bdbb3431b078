/**
 * A progress bar on stderr for long work: only on a terminal and only for more than a few
 * items, so that piped or scripted runs stay silent (cli-progress).
 */
import { SingleBar } from 'cli-progress';

export interface Progress {
  tick(): void;
  /** So many done (for work counted in thousands, told now and then). */
  to(done: number): void;
  stop(): void;
}

const SILENT: Progress = { tick: () => {}, to: () => {}, stop: () => {} };

export function progress(stream: NodeJS.WriteStream, total: number, what: string, atLeast = 8): Progress {
  if (!stream.isTTY || total < atLeast) return SILENT;
  const bar = new SingleBar({ stream, format: `  {bar} {value}/{total} ${what}`, barCompleteChar: '█', barIncompleteChar: '░', hideCursor: true, clearOnComplete: true, etaBuffer: 20, fps: 10 });
  bar.start(total, 0);
  return {
    tick: () => bar.increment(),
    to: (done) => bar.update(done),
    stop: () => bar.stop(),
  };
}
