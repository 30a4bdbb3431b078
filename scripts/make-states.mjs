#!/usr/bin/env node
// make-states.mjs: regenerate data/states.csv from data/scale.csv, data/parties.csv
// and the npm package i18n-iso-countries (a dependency: the invoices also use it for names in Arabic, Chinese and Russian).
//
//   node scripts/make-states.mjs           write data/states.csv
//   node scripts/make-states.mjs --check   exit 1 if data/states.csv differs from the output
//
// Output: one row per State or entity that finproc can meet. That is every iso3 in
// scale.csv (the 193 UN Member States) plus every iso3 in parties.csv that is not in the
// scale (the non-UN parties: VAT, COK, NIU, PSE). Rows are sorted by iso3. The file is
// UTF-8 without a BOM, with LF line endings and commas, and fields are quoted only when
// RFC 4180 requires it.
// Columns: iso3,name_en,name_fr,name_es,language
//
// NAMES
//   ISO3 -> ISO2 with alpha3ToAlpha2(). Each name is getName(iso2, lang, { select: 'official' })
//   for en, fr and es. 'official' gives better short names than 'alias': 'alias' returns
//   "UK", "UAE" and "Turkey", and gives "Congo" for both COD and COG.
//   NAME_OVERRIDES below replaces package names that are wrong or unsuitable for official
//   correspondence. These include:
//   ISO "inverted" forms ("Moldova, Republic of"), colloquial forms the UN does not use
//   ("South Korea"), missing diacritics, capitals where French spelling uses lower case,
//   and names a State has asked to have used unchanged in every language (Côte d'Ivoire,
//   Cabo Verde, Türkiye). An English override set to FROM_SOURCE takes the English name from
//   scale.csv (member_state), or from parties.csv (participant) for non-members.
//   Every override says why it is there. The names are illustrative and can be edited. Put
//   changes in this script, not in the CSV, so that regenerating the file keeps them.
//
// LANGUAGE (default language of correspondence; one of en, fr, es, ar, ru, zh)
//   This rule is an illustrative starting point and can be edited. It is not a CCM or UN
//   rule. The ISU should check it against the language each mission actually uses.
//   1. es: States where Spanish is an official language (Spain, Spanish-speaking Latin
//      America), plus Equatorial Guinea.
//   2. fr: States where French is an official language and is also the mission's usual UN
//      working language. That is francophone Africa (Benin, Burkina Faso, Burundi,
//      Cameroon, Central African Republic, Chad, Comoros, Congo, Côte d'Ivoire, DR Congo,
//      Djibouti, Gabon, Guinea, Madagascar, Mali, Niger, Senegal, Togo), Haiti, France,
//      Belgium, Switzerland, Luxembourg and Monaco. Bilingual States that usually work in
//      English (Canada, Mauritius, Rwanda, Seychelles, Vanuatu) stay en.
//   3. ar: Members of the League of Arab States, except Comoros and Djibouti (rule 2 puts them
//      in fr). Lebanon and Mauritania are ar. Somalia is ar, but the ISU may prefer en.
//   4. zh: China.
//   5. ru: the Russian Federation, Belarus, the five Central Asian States (Kazakhstan,
//      Kyrgyzstan, Tajikistan, Turkmenistan, Uzbekistan) and Armenia. Azerbaijan is en,
//      because its mission usually corresponds in English. Both are judgement calls.
//   6. en: everyone else, including the non-UN parties other than the State of Palestine (ar).
//   The first rule that matches wins. The code lists below are that rule.

import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import countries from 'i18n-iso-countries';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DATA = join(ROOT, 'data');
const OUT = join(DATA, 'states.csv');
const LANGS = ['en', 'fr', 'es', 'ar', 'ru', 'zh'];

// ---- language rule -------------------------------------------------------------------
const ES = ['ARG', 'BOL', 'CHL', 'COL', 'CRI', 'CUB', 'DOM', 'ECU', 'ESP', 'GNQ', 'GTM',
  'HND', 'MEX', 'NIC', 'PAN', 'PER', 'PRY', 'SLV', 'URY', 'VEN'];
const FR = ['BDI', 'BEL', 'BEN', 'BFA', 'CAF', 'CHE', 'CIV', 'CMR', 'COD', 'COG', 'COM',
  'DJI', 'FRA', 'GAB', 'GIN', 'HTI', 'LUX', 'MCO', 'MDG', 'MLI', 'NER', 'SEN', 'TCD', 'TGO'];
// League of Arab States (22 members); COM and DJI are caught by FR first.
const ARAB_LEAGUE = ['ARE', 'BHR', 'COM', 'DJI', 'DZA', 'EGY', 'IRQ', 'JOR', 'KWT', 'LBN',
  'LBY', 'MAR', 'MRT', 'OMN', 'PSE', 'QAT', 'SAU', 'SDN', 'SOM', 'SYR', 'TUN', 'YEM'];
const ZH = ['CHN'];
const RU = ['RUS', 'BLR', 'KAZ', 'KGZ', 'TJK', 'TKM', 'UZB', 'ARM'];

function language(iso3) {
  if (ES.includes(iso3)) return 'es';
  if (FR.includes(iso3)) return 'fr';
  if (ARAB_LEAGUE.includes(iso3)) return 'ar';
  if (ZH.includes(iso3)) return 'zh';
  if (RU.includes(iso3)) return 'ru';
  return 'en';
}

// ---- name overrides ------------------------------------------------------------------
const FROM_SOURCE = Symbol('English name from scale.csv / parties.csv');
const NAME_OVERRIDES = {
  BLR: { fr: 'Bélarus', es: 'Belarús', why: 'UN French/Spanish short names; package has Biélorussie/Bielorrusia' },
  CAF: { fr: 'République centrafricaine', why: 'French lower-case adjective' },
  CHN: { en: FROM_SOURCE, why: 'package en official is the long form "People\'s Republic of China"' },
  CIV: { en: 'Côte d\'Ivoire', fr: 'Côte d\'Ivoire', es: 'Côte d\'Ivoire', why: 'package en lacks the accent (so does scale.csv), fr is hyphenated; the State asks for the name untranslated' },
  COD: { es: 'República Democrática del Congo', why: 'package es is the inverted form "Congo (República Democrática del)"' },
  CPV: { en: FROM_SOURCE, fr: 'Cabo Verde', why: 'the State asks for "Cabo Verde" in all languages (package: Cape Verde / Cap-Vert)' },
  CZE: { fr: 'République tchèque', why: 'French lower-case adjective' },
  DOM: { fr: 'République dominicaine', why: 'French lower-case adjective' },
  ARE: { fr: 'Émirats arabes unis', why: 'French lower-case adjectives' },
  FSM: { en: FROM_SOURCE, why: 'package en is the inverted form "Micronesia, Federated States of"' },
  GMB: { en: FROM_SOURCE, why: 'package en official is the long form "Republic of The Gambia"' },
  GNB: { es: 'Guinea-Bissau', why: 'package es lacks the hyphen' },
  KOR: { en: FROM_SOURCE, fr: 'République de Corée', why: 'package has the colloquial "South Korea" / "Corée du Sud"' },
  MDA: { en: FROM_SOURCE, fr: 'République de Moldova', es: 'República de Moldova', why: 'package en is inverted ("Moldova, Republic of"), fr/es use the regional name Moldavie/Moldavia' },
  MKD: { en: FROM_SOURCE, why: 'package en official is "The Republic of North Macedonia"' },
  PRK: { en: FROM_SOURCE, fr: 'République populaire démocratique de Corée', why: 'package has the colloquial "North Korea" / "Corée du Nord"' },
  PSE: { fr: 'État de Palestine', es: 'Estado de Palestina', why: 'designation as a party (en already "State of Palestine")' },
  SAU: { fr: 'Arabie saoudite', why: 'French lower-case adjective' },
  SWZ: { fr: 'Eswatini', why: 'package fr is the long form "Royaume d\'Eswatini"' },
  TUR: { fr: 'Türkiye', es: 'Türkiye', why: 'the State asks for "Türkiye" in all languages (package: Turquie / Turquía)' },
  VAT: { en: FROM_SOURCE, fr: 'Saint-Siège', why: 'package adds "(Vatican City State)" / "(Vatican)"; the party is the Holy See' },
  VNM: { en: FROM_SOURCE, fr: 'Viet Nam', es: 'Viet Nam', why: 'UN and the State use "Viet Nam" in all three languages (package: Vietnam)' },
};

// ---- inputs --------------------------------------------------------------------------
const readCsv = (file) => parse(readFileSync(join(DATA, file), 'utf8'), { columns: true, skip_empty_lines: true });
const scale = readCsv('scale.csv');
const parties = readCsv('parties.csv');

const sourceName = new Map(); // iso3 -> English name; scale.csv first, parties.csv for non-members
for (const r of scale) sourceName.set(r.iso3, r.member_state);
for (const r of parties) if (!sourceName.has(r.iso3)) sourceName.set(r.iso3, r.participant);

const codes = [...sourceName.keys()].sort();
for (const c of Object.keys(NAME_OVERRIDES)) {
  if (!sourceName.has(c)) throw new Error(`override for ${c}, which is in neither scale.csv nor parties.csv`);
}

// ---- build ---------------------------------------------------------------------------
const rows = codes.map((iso3) => {
  if (!/^[A-Z]{3}$/.test(iso3)) throw new Error(`bad iso3 ${JSON.stringify(iso3)}`);
  const iso2 = countries.alpha3ToAlpha2(iso3);
  const ov = NAME_OVERRIDES[iso3] ?? {};
  const name = (lang) => {
    let n = ov[lang];
    if (n === FROM_SOURCE) n = sourceName.get(iso3);
    if (n === undefined && iso2) n = countries.getName(iso2, lang, { select: 'official' });
    if (!n && lang === 'en') n = sourceName.get(iso3); // missing in package: fall back
    if (!n || !n.trim()) throw new Error(`no ${lang} name for ${iso3}`);
    return n.trim();
  };
  const lang = language(iso3);
  if (!LANGS.includes(lang)) throw new Error(`bad language ${lang} for ${iso3}`);
  return [iso3, name('en'), name('fr'), name('es'), lang];
});

const csv = stringify(rows, {
  header: true,
  columns: ['iso3', 'name_en', 'name_fr', 'name_es', 'language'],
  record_delimiter: 'unix',
  bom: false,
});

if (process.argv.includes('--check')) {
  const old = existsSync(OUT) ? readFileSync(OUT, 'utf8') : '';
  if (old !== csv) {
    console.error('data/states.csv is out of date: run node scripts/make-states.mjs');
    process.exit(1);
  }
  console.log(`data/states.csv is up to date (${rows.length} rows)`);
} else {
  writeFileSync(OUT, csv, 'utf8');
  console.log(`wrote data/states.csv (${rows.length} rows)`);
}
