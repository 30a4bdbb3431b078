// Loads the bundled program (dist/finproc.cjs) through V8's code cache.
//
// Why: most of finproc's start-up is V8 compiling ~750 kB of bundled JavaScript (zod, yaml,
// commander, …). `npm run build` runs representative commands once and saves V8's compiled
// code next to the bundle (dist/finproc.cjs.cache); later runs hand it back to V8, which
// skips the work. The cache only speeds things up: if V8 rejects it (another Node version),
// the code is compiled as usual and behaves identically. Nothing is written at run time.
// (Node 22 has module.enableCompileCache for this; Node 20 does not.)
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const bundle = path.join(dist, 'finproc.cjs');
const cacheFile = `${bundle}.cache`;

/** @returns {{ main: Function, script: vm.Script }} */
export function loadBundle({ useCache = true } = {}) {
  const source = readFileSync(bundle, 'utf8');
  let cachedData;
  if (useCache) {
    try {
      cachedData = readFileSync(cacheFile);
    } catch {
      cachedData = undefined;
    }
  }
  const script = new vm.Script(Module.wrap(source), { filename: bundle, ...(cachedData ? { cachedData } : {}) });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, dist);
  return { main: module.exports.main, script };
}

export function saveCache(script) {
  writeFileSync(cacheFile, script.createCachedData());
}
