// npm run build, last step: run representative commands on the example books so that V8
// compiles what they use, then save its code cache (see scripts/load-bundle.cjs).
import { rmSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import loader from './load-bundle.cjs';

const { loadBundle, saveCache } = loader;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
rmSync(path.join(root, 'dist', 'finproc.cjs.cache'), { force: true });
const { main, script } = loadBundle({ useCache: false });
const sink = new Writable({ write: (_c, _e, cb) => cb() });
const io = { stdout: sink, stderr: sink, env: {}, cwd: root };
for (const args of [['check'], ['apportion', '--year', '2026'], ['apportion', '--year', '2026', '--format', 'json'], ['apportion', '--year', '2026', '--format', 'csv'], ['explain', 'AUT', '--year', '2026'], ['--help']]) {
  await main(args, io);
}
saveCache(script);
