// Writes data/missions.csv: one ILLUSTRATIVE postal address per State Party (the Permanent
// Mission in Geneva), for the recipient block of the invoices. The addresses are made up
// (plausible Geneva streets, numbers from a fixed seed); the real ones are kept by the ISU.
// One State in four is marked as paying from an account in Switzerland (qr_bill = yes).
// Deterministic: `node scripts/make-missions.mjs --check` exits 1 if the file differs.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const csv = (f) => readFileSync(path.join(root, 'data', f), 'utf8').trim().split(/\r?\n/).slice(1).map((l) => l.split(','));
const names = new Map(csv('states.csv').map((r) => [r[0], r[1]]));
const parties = csv('parties.csv').filter((r) => r[5]).map((r) => r[0]);
const streets = [
  ['Route de Ferney', '1202'], ['Avenue de France', '1202'], ['Rue de Lausanne', '1201'], ['Chemin du Petit-Saconnex', '1209'],
  ['Rue de Varembé', '1202'], ['Avenue de la Paix', '1202'], ['Chemin Louis-Dunant', '1202'], ['Rue de Moillebeau', '1209'],
  ['Avenue Giuseppe-Motta', '1202'], ['Rue du Grand-Pré', '1202'], ['Chemin des Crêts-de-Champel', '1206'], ['Route de Pré-Bois', '1215'],
];
let seed = 20261128;
const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
const quote = (s) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const rows = parties.sort().map((iso3, i) => {
  const [street, postcode] = streets[Math.floor(rnd() * streets.length)];
  const building = String(1 + Math.floor(rnd() * 120));
  const mission = `Permanent Mission of ${names.get(iso3)} to the UN Office at Geneva`;
  return [iso3, mission, street, building, postcode, 'Geneva', 'CH', `finance.${iso3.toLowerCase()}@mission.example.org`, i % 4 === 0 ? 'yes' : 'no'].map(quote).join(',');
});
const text = 'iso3,mission,street,building,postcode,town,country,email,qr_bill\n' + rows.join('\n') + '\n';
const file = path.join(root, 'data', 'missions.csv');
if (process.argv.includes('--check')) {
  const same = readFileSync(file, 'utf8') === text;
  if (!same) console.error('data/missions.csv differs from what scripts/make-missions.mjs writes');
  process.exit(same ? 0 : 1);
}
writeFileSync(file, text);
