'use strict';
// Loads the bundled program (dist/finproc.cjs) through V8's code cache.
//
// Why: most of finproc's start-up is V8 compiling the bundled JavaScript (zod, yaml,
// commander, …). `npm run build` runs representative commands once and saves V8's compiled
// code next to the bundle (dist/finproc.cjs.cache); later runs hand it back to V8, which
// skips the work. The cache only speeds things up: if V8 rejects it (another Node version),
// the code is compiled as usual and behaves identically. Nothing is written at run time.
// (Node 22 has module.enableCompileCache for this; Node 20 does not.) CommonJS, like the
// bin script, because Node starts a CommonJS entry point faster than an ES module.
const { readFileSync, writeFileSync } = require('node:fs');
const { Module } = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

const dist = path.resolve(__dirname, '..', 'dist');
const bundle = path.join(dist, 'finproc.cjs');
const cacheFile = `${bundle}.cache`;

/** @returns {{ main: Function, script: import('node:vm').Script }} */
function loadBundle({ useCache = true } = {}) {
  // A real import() for the ES-only packages the bundle loads when it draws charts (vega,
  // vega-lite, see src/render/charts.ts): code run by vm.Script has no module loader.
  globalThis[Symbol.for('finproc.import')] ??= (id) => import(id);
  let cachedData;
  if (useCache) {
    try {
      cachedData = readFileSync(cacheFile);
    } catch {
      cachedData = undefined;
    }
  }
  let source;
  try {
    source = readFileSync(bundle, 'utf8');
  } catch (e) {
    if (e.code !== 'ENOENT') throw e;
    // A checkout that was never built (npm ci builds it): say so, not a stack trace.
    process.stderr.write(`error: ${path.relative(process.cwd(), bundle) || bundle} is missing: finproc has not been built; run npm ci (or npm run build) in ${path.resolve(__dirname, '..')}\n`);
    process.exit(3);
  }
  const script = new vm.Script(Module.wrap(source), { filename: bundle, ...(cachedData ? { cachedData } : {}) });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, require, module, bundle, dist);
  return { main: module.exports.main, script };
}

function saveCache(script) {
  writeFileSync(cacheFile, script.createCachedData());
}

module.exports = { loadBundle, saveCache };
