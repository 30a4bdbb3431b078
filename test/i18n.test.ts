// The six message catalogues: same members as English, every parameter reaches the text,
// locale formatting pinned by hand-written strings, and State names in the right script.
import { describe, expect, it } from 'vitest';
import { MESSAGES, countryName, formatIsoDate, isLang, messagesFor } from '../src/render/i18n/index.js';
import { ruPlural } from '../src/render/i18n/ru.js';
import { LANGS, type Lang, type Messages } from '../src/render/i18n/types.js';

const NBSP = '\u00A0';
const NNBSP = '\u202F';
const LRI = '\u2066';
const FSI = '\u2068';
const PDI = '\u2069';

const en = MESSAGES.en;
const OTHERS = LANGS.filter((l) => l !== 'en');

/** Distinctive parameter values, so that a dropped parameter cannot hide behind a fixed word. */
const P = {
  num: 'ISU-2031-947',
  state: 'Ruritania-XQ',
  year: 2031,
  id: 'cat_zq9',
  amount: 'CHF 98,765.43',
  amount2: 'CHF 4,321.09',
  date: '17 Zmonth 2029',
  date2: '23 Ymonth 2027',
  policy: 'pol-ZK-77',
  rate: '0.4567 %',
  column: 'rate_col_XY',
  pct: '12.3456 %',
  months: 7,
  total: '9,876',
  members: 83,
  held: 19,
  exact: '4,221.453871',
  unit: 'CHF 0.07',
  years: '2019, 2020',
  name: 'Jane Qwerty',
  email: 'isu-zq@example.org',
  phone: '+41 22 555 01 99',
  version: '9.8.7',
};

/** One call of a catalogue function: its arguments and the ones that must appear in the text. */
interface Call {
  key: keyof Messages;
  args: unknown[];
  shown: (string | number)[];
}

const CALLS: Call[] = [
  { key: 'replaces', args: [P.num], shown: [P.num] },
  { key: 'cancels', args: [P.num], shown: [P.num] },
  { key: 'subject', args: [P.state, P.year], shown: [P.state, P.year] },
  ...(['equal', 'scale', 'fixed'] as const).map((b): Call => ({ key: 'basisName', args: [b], shown: [] })),
  { key: 'categoryLine', args: [P.id, P.year], shown: [P.id, P.year] },
  { key: 'contributions', args: [P.year], shown: [P.year] },
  { key: 'arrearsFor', args: [P.year], shown: [P.year] },
  { key: 'creditRemaining', args: [P.amount], shown: [P.amount] },
  { key: 'payBy', args: [P.amount, P.date], shown: [P.amount, P.date] },
  { key: 'budget', args: [P.amount, P.year], shown: [P.amount, P.year] },
  { key: 'unRate', args: [P.rate, '2025–2027'], shown: [P.rate, '2025–2027'] },
  { key: 'notionalRate', args: [P.rate], shown: [P.rate] },
  { key: 'proRata', args: [P.months, P.year], shown: [P.months, P.year] },
  { key: 'categoryRule', args: ['equal', P.id, P.pct, P.amount, P.members], shown: [P.id, P.pct, P.amount, P.members] },
  { key: 'categoryRule', args: ['equal', P.id, null, P.amount, P.members], shown: [P.id, P.amount, P.members] },
  { key: 'categoryRule', args: ['scale', P.id, P.pct, P.amount, P.members], shown: [P.id, P.pct, P.amount, P.members] },
  { key: 'categoryRule', args: ['scale', P.id, null, P.amount, P.members], shown: [P.id, P.amount, P.members] },
  { key: 'categoryRule', args: ['fixed', P.id, null, P.amount, 1], shown: [P.id, P.amount] },
  { key: 'adjustedShare', args: [P.pct], shown: [P.pct] },
  { key: 'equalShare', args: [P.months, P.total], shown: [P.months, P.total] },
  { key: 'renormalised', args: [P.pct, P.held], shown: [P.pct, P.held] },
  ...(['max', 'min', 'ldc_max'] as const).map((k): Call => ({ key: 'bound', args: [k, P.amount], shown: [P.amount] })),
  { key: 'fixedShare', args: [P.pct], shown: [P.pct] },
  { key: 'quota', args: [P.amount], shown: [P.amount] },
  ...(['largest-remainder', 'half-up', 'half-even'] as const).map((m): Call => ({ key: 'rounding', args: [m, P.unit], shown: [P.unit] })),
  { key: 'noArrears', args: [P.date], shown: [P.date] },
  { key: 'arrears', args: [P.amount, P.date, P.years, P.date2], shown: [P.amount, P.date, P.years, P.date2] },
  { key: 'credits', args: [P.amount, P.date], shown: [P.amount, P.date] },
  { key: 'contact', args: [P.name, P.email, P.phone], shown: [P.name, P.email, P.phone] },
  { key: 'contactLetter', args: [P.name, P.email, P.phone], shown: [P.name, P.email, P.phone] },
  { key: 'generated', args: [P.version], shown: [P.version] },
  { key: 'list', args: [['2019', '2020', '2021']], shown: ['2019', '2020', '2021'] },
  { key: 'reminderSubject', args: [P.state], shown: [P.state] },
  ...([1, 2, 3] as const).map((l): Call => ({ key: 'reminderOpening', args: [l, P.date], shown: [P.date] })),
  ...([1, 2, 3] as const).map((l): Call => ({ key: 'reminderLevel', args: [l], shown: [] })),
  { key: 'indexTitle', args: [P.year], shown: [P.year] },
  { key: 'number', args: ['-1234.5'], shown: [] },
  { key: 'money', args: ['1234.50', 'XQZ'], shown: ['XQZ'] },
  { key: 'date', args: [2031, 12, 29], shown: [2031, 29] },
  { key: 'percent', args: ['0.0817'], shown: ['0817'] },
];

const call = (m: Messages, c: Call): string => (m[c.key] as (...a: unknown[]) => string)(...c.args);

/** Every text a catalogue can produce for the calls above, plus its plain strings. */
function allTexts(m: Messages): string[] {
  const plain = Object.values(m).filter((v): v is string => typeof v === 'string');
  return [...plain, ...CALLS.map((c) => call(m, c))];
}

describe('catalogue shape', () => {
  it('the test calls every function of the English catalogue', () => {
    const fns = Object.entries(en).filter(([, v]) => typeof v === 'function').map(([k]) => k);
    expect(new Set(CALLS.map((c) => c.key))).toEqual(new Set(fns));
  });

  it.each(OTHERS)('%s has exactly the members of en, of the same kinds and arities', (lang) => {
    const m = MESSAGES[lang];
    expect(Object.keys(m).sort()).toEqual(Object.keys(en).sort());
    for (const [k, v] of Object.entries(en)) {
      const t = (m as unknown as Record<string, unknown>)[k];
      expect(typeof t, k).toBe(typeof v);
      if (typeof v === 'function') expect((t as (...a: unknown[]) => unknown).length, k).toBe(v.length);
      if (typeof v === 'string') expect((t as string).trim(), k).not.toBe('');
    }
  });

  it('lang and dir', () => {
    for (const lang of LANGS) {
      expect(MESSAGES[lang].lang).toBe(lang);
      expect(messagesFor(lang)).toBe(MESSAGES[lang]);
      expect(MESSAGES[lang].dir).toBe(lang === 'ar' ? 'rtl' : 'ltr');
    }
  });

  it('isLang', () => {
    for (const lang of LANGS) expect(isLang(lang)).toBe(true);
    for (const s of ['', 'EN', 'de', 'fr-CH', 'zh-Hans', 'english']) expect(isLang(s)).toBe(false);
  });
});

describe.each(LANGS)('sentences in %s', (lang: Lang) => {
  const m = MESSAGES[lang];

  it.each(CALLS.map((c, i) => [`${c.key}#${i}`, c] as const))('%s is non-empty and shows every parameter', (_, c) => {
    const out = call(m, c);
    expect(out.trim()).not.toBe('');
    for (const p of c.shown) expect(out, `${c.key} drops ${p}`).toContain(String(p));
    expect(out).not.toMatch(/undefined|NaN|\[object|null/);
  });

  it('adds no markup characters', () => {
    for (const t of allTexts(m)) expect(t).not.toMatch(/[<>]/);
  });

  it('each branch of a sentence says something different', () => {
    const distinct = (key: keyof Messages, argsList: unknown[][]) => {
      const outs = argsList.map((args) => call(m, { key, args, shown: [] }));
      expect(new Set(outs).size, key).toBe(outs.length);
    };
    distinct('basisName', [['equal'], ['scale'], ['fixed']]);
    distinct('categoryRule', [['equal', 'x', '1 %', 'A', 5], ['scale', 'x', '1 %', 'A', 5], ['fixed', 'x', '1 %', 'A', 5]]);
    distinct('bound', [['max', 'L'], ['min', 'L'], ['ldc_max', 'L']]);
    distinct('rounding', [['largest-remainder', 'U'], ['half-up', 'U'], ['half-even', 'U']]);
    distinct('reminderOpening', [[1, 'D'], [2, 'D'], [3, 'D']]);
    distinct('reminderLevel', [[1], [2], [3]]);
    distinct('date', Array.from({ length: 12 }, (_, i) => [2026, i + 1, 15]));
  });
});

describe.each(OTHERS)('%s is a translation', (lang) => {
  const m = MESSAGES[lang];
  it('its sentences differ from the English ones', () => {
    for (const c of CALLS) if (!['number', 'list'].includes(c.key)) expect(call(m, c), c.key).not.toBe(call(en, c));
    const same = Object.entries(en).filter(([k, v]) => k !== 'dir' && typeof v === 'string' && (m as unknown as Record<string, unknown>)[k] === v).map(([k]) => k);
    // Words that are legitimately the same as in English (acronyms; French "Document").
    const SAME: Record<string, string[]> = { fr: ['bic', 'document', 'iban'], es: ['bic', 'iban'], ru: ['bic', 'iban'], zh: ['iban'], ar: [] };
    expect(same.sort()).toEqual(SAME[lang]);
  });
});

describe('formatting', () => {
  const cases: Record<Lang, { number: [string, string][]; money: [string, string][]; percent: [string, string][]; date: [[number, number, number], string][]; list: [string[], string][] }> = {
    en: {
      number: [['1234567.50', '1,234,567.50']],
      money: [['1234.50', 'CHF 1,234.50']],
      percent: [['0.081', '0.081 %']],
      date: [[[2026, 1, 15], '15 January 2026']],
      list: [[['2023', '2024', '2025'], '2023, 2024 and 2025']],
    },
    fr: {
      number: [['-1234567.50', `-1${NNBSP}234${NNBSP}567,50`], ['0.00', '0,00'], ['999', '999'], ['1000', `1${NNBSP}000`], ['4221.453871', `4${NNBSP}221,453871`]],
      money: [['1234.50', `1${NNBSP}234,50${NBSP}CHF`], ['0.00', `0,00${NBSP}CHF`], ['1000000.00', `1${NNBSP}000${NNBSP}000,00${NBSP}CHF`], ['-120.00', `-120,00${NBSP}CHF`]],
      percent: [['0.081', `0,081${NNBSP}%`], ['15', `15${NNBSP}%`], ['-0.5', `-0,5${NNBSP}%`]],
      date: [[[2026, 1, 15], '15 janvier 2026'], [[2026, 1, 1], '1er janvier 2026'], [[2025, 8, 1], '1er août 2025'], [[2024, 2, 29], '29 février 2024'], [[2026, 12, 31], '31 décembre 2026']],
      list: [[['2023', '2024', '2025'], '2023, 2024 et 2025'], [['2023', '2024'], '2023 et 2024'], [['2024'], '2024']],
    },
    es: {
      number: [['-1234567.50', '-1.234.567,50'], ['0.00', '0,00'], ['1234', '1.234'], ['4221.453871', '4.221,453871']],
      money: [['1234.50', `1.234,50${NBSP}CHF`], ['0.00', `0,00${NBSP}CHF`], ['1000000.00', `1.000.000,00${NBSP}CHF`], ['-120.00', `-120,00${NBSP}CHF`]],
      percent: [['0.081', `0,081${NBSP}%`], ['-0.5', `-0,5${NBSP}%`]],
      date: [[[2026, 1, 15], '15 de enero de 2026'], [[2026, 3, 1], '1 de marzo de 2026'], [[2026, 9, 30], '30 de septiembre de 2026']],
      list: [[['2023', '2024', '2025'], '2023, 2024 y 2025'], [['2024'], '2024']],
    },
    ru: {
      number: [['-1234567.50', `-1${NBSP}234${NBSP}567,50`], ['0.00', '0,00'], ['1000', `1${NBSP}000`]],
      money: [['1234.50', `1${NBSP}234,50${NBSP}CHF`], ['0.00', `0,00${NBSP}CHF`], ['1000000.00', `1${NBSP}000${NBSP}000,00${NBSP}CHF`], ['-120.00', `-120,00${NBSP}CHF`]],
      percent: [['0.081', `0,081${NBSP}%`], ['-0.5', `-0,5${NBSP}%`]],
      date: [[[2026, 1, 15], `15 января 2026${NBSP}г.`], [[2026, 3, 1], `1 марта 2026${NBSP}г.`], [[2026, 5, 9], `9 мая 2026${NBSP}г.`], [[2025, 8, 31], `31 августа 2025${NBSP}г.`]],
      list: [[['2023', '2024', '2025'], '2023, 2024 и 2025'], [['2023', '2024'], '2023 и 2024']],
    },
    zh: {
      number: [['-1234567.50', '-1,234,567.50'], ['0.00', '0.00']],
      money: [['1234.50', `CHF${NBSP}1,234.50`], ['0.00', `CHF${NBSP}0.00`], ['1000000.00', `CHF${NBSP}1,000,000.00`], ['-120.00', `CHF${NBSP}-120.00`]],
      percent: [['0.081', '0.081%'], ['-0.5', '-0.5%']],
      date: [[[2026, 1, 15], '2026年1月15日'], [[2026, 10, 1], '2026年10月1日']],
      list: [[['2023', '2024', '2025'], '2023、2024和2025'], [['2023', '2024'], '2023和2024'], [['2024'], '2024']],
    },
    ar: {
      number: [['-1234567.50', `${LRI}-1,234,567.50${PDI}`], ['0.00', `${LRI}0.00${PDI}`]],
      money: [['1234.50', `${LRI}1,234.50${NBSP}CHF${PDI}`], ['0.00', `${LRI}0.00${NBSP}CHF${PDI}`], ['1000000.00', `${LRI}1,000,000.00${NBSP}CHF${PDI}`], ['-120.00', `${LRI}-120.00${NBSP}CHF${PDI}`]],
      percent: [['0.081', `${LRI}0.081%${PDI}`], ['-0.5', `${LRI}-0.5%${PDI}`]],
      date: [[[2026, 1, 15], '15 يناير 2026'], [[2026, 1, 1], '1 يناير 2026'], [[2026, 7, 4], '4 يوليه 2026'], [[2026, 12, 31], '31 ديسمبر 2026']],
      list: [[['2023', '2024', '2025'], '2023 و2024 و2025'], [['2024'], '2024']],
    },
  };

  describe.each(LANGS)('%s', (lang) => {
    const m = MESSAGES[lang];
    const c = cases[lang];
    it('number', () => c.number.forEach(([i, o]) => expect(m.number(i)).toBe(o)));
    it('money', () => c.money.forEach(([i, o]) => expect(m.money(i, 'CHF')).toBe(o)));
    it('percent', () => c.percent.forEach(([i, o]) => expect(m.percent(i)).toBe(o)));
    it('date', () => c.date.forEach(([[y, mo, d], o]) => expect(m.date(y, mo, d)).toBe(o)));
    it('list', () => c.list.forEach(([i, o]) => expect(m.list(i)).toBe(o)));
    it('only Western digits', () => {
      for (const t of allTexts(m)) expect(t).not.toMatch(/[\u0660-\u0669\u06F0-\u06F9]/);
    });
  });

  it('formatIsoDate reads YYYY-MM-DD and refuses anything else', () => {
    expect(formatIsoDate(MESSAGES.fr, '2026-02-01')).toBe('1er février 2026');
    expect(formatIsoDate(MESSAGES.zh, '2026-02-28')).toBe('2026年2月28日');
    expect(formatIsoDate(MESSAGES.ru, '2024-02-29')).toBe(`29 февраля 2024${NBSP}г.`);
    for (const bad of ['2026-2-1', '2026-13-01', '2026-00-10', '2026-02-29', '2026-04-31', '2026-01-00', '15.01.2026', '2026-01-15T00:00']) {
      expect(() => formatIsoDate(MESSAGES.en, bad), bad).toThrow();
    }
  });
});

describe('Russian plurals', () => {
  it.each([
    [0, 'many'], [1, 'one'], [2, 'few'], [4, 'few'], [5, 'many'], [11, 'many'], [12, 'many'], [14, 'many'],
    [21, 'one'], [22, 'few'], [25, 'many'], [101, 'one'], [111, 'many'], [112, 'many'], [1056, 'many'], [1001, 'one'],
  ] as const)('%i → %s', (n, form) => expect(ruPlural(n, 'one', 'few', 'many')).toBe(form));

  it('months and States agree with their count', () => {
    expect(MESSAGES.ru.proRata(1, 2025)).toMatch(/за 1 месяц\.$/);
    expect(MESSAGES.ru.proRata(3, 2025)).toMatch(/за 3 месяца\.$/);
    expect(MESSAGES.ru.proRata(11, 2025)).toMatch(/за 11 месяцев\.$/);
    expect(MESSAGES.ru.equalShare(12, `1${NBSP}056`)).toContain(`12 месяцев из 1${NBSP}056 месяцев`);
    expect(MESSAGES.ru.equalShare(1, '21')).toContain('1 месяц из 21 месяца');
    expect(MESSAGES.ru.categoryRule('equal', 'base', null, 'X', 21)).toContain('между 21 государством');
    expect(MESSAGES.ru.categoryRule('equal', 'base', null, 'X', 88)).toContain('между 88 государствами');
    expect(MESSAGES.ru.renormalised('P', 9)).toContain('доли 9 государств');
    expect(MESSAGES.ru.renormalised('P', 1)).toContain('доли 1 государства');
  });
});

describe('Arabic bidi isolates', () => {
  const m = MESSAGES.ar;
  it('every isolate is closed, in every text', () => {
    for (const t of allTexts(m)) {
      let depth = 0;
      for (const ch of t) {
        if (ch === LRI || ch === FSI || ch === '\u2067') depth++;
        if (ch === PDI) depth--;
        expect(depth, t).toBeGreaterThanOrEqual(0);
      }
      expect(depth, t).toBe(0);
    }
  });
  it('Latin identifiers are isolated, Arabic names and years are not', () => {
    expect(m.replaces('ISU-2026-005')).toContain(`${FSI}ISU-2026-005${PDI}`);
    expect(m.subject('النمسا', 2026)).toContain(' النمسا ');
    expect(m.list(['2023', 'ISU-1'])).toBe(`2023 و${FSI}ISU-1${PDI}`);
    const money = m.money('1234.50', 'CHF');
    expect(m.payBy(money, '1 يناير 2026')).toContain(` ${money} `);
  });
});

describe('State names', () => {
  const SCRIPT: Partial<Record<Lang, RegExp>> = { ar: /^[\p{Script=Arabic}\p{Script=Common}\p{Script=Inherited}]+$/u, ru: /\p{Script=Cyrillic}/u, zh: /\p{Script=Han}/u };
  const books = {
    AUT: { nameEn: 'Austria', nameFr: 'Autriche', nameEs: 'Austria' },
    PSE: { nameEn: 'State of Palestine', nameFr: 'État de Palestine', nameEs: 'Estado de Palestina' },
    VAT: { nameEn: 'Holy See', nameFr: 'Saint-Siège', nameEs: 'Santa Sede' },
    CIV: { nameEn: "Côte d'Ivoire", nameFr: "Côte d'Ivoire", nameEs: "Côte d'Ivoire" },
  };

  it.each(Object.keys(books))('%s in all six languages', (iso3) => {
    const b = books[iso3 as keyof typeof books];
    for (const lang of LANGS) {
      for (const given of [b, undefined]) {
        const n = countryName(iso3, lang, given);
        expect(n.trim(), `${iso3} ${lang}`).not.toBe('');
        expect(n, `${iso3} ${lang}`).not.toBe(iso3);
        const script = SCRIPT[lang];
        if (script) {
          expect(n, `${iso3} ${lang}`).toMatch(script);
          expect(n, `${iso3} ${lang}`).not.toMatch(/\p{Script=Latin}/u);
        } else expect(n, `${iso3} ${lang}`).toMatch(/^[\p{Script=Latin}\p{Script=Common}]+$/u);
      }
      expect(countryName(iso3, 'en', b)).toBe(b.nameEn);
      expect(countryName(iso3, 'fr', b)).toBe(b.nameFr);
      expect(countryName(iso3, 'es', b)).toBe(b.nameEs);
    }
  });

  it('the books spell en/fr/es, and the UN names win over the package', () => {
    expect(countryName('AUT', 'fr', { nameEn: 'Austria', nameFr: 'République d’Autriche', nameEs: 'Austria' })).toBe('République d’Autriche');
    expect(countryName('AUT', 'ru', undefined)).toBe('Австрия');
    expect(countryName('VAT', 'ar', undefined)).toBe('الكرسي الرسولي');
    expect(countryName('VAT', 'ru', undefined)).toBe('Святой Престол');
    expect(countryName('VAT', 'zh', undefined)).toBe('教廷');
    expect(countryName('CIV', 'ar', undefined)).toBe('كوت ديفوار');
    expect(countryName('aut', 'zh', undefined)).toBe('奥地利');
  });

  it('falls back to the English name, then the code', () => {
    const b = { nameEn: 'Atlantis', nameFr: 'Atlantide', nameEs: 'Atlántida' };
    expect(countryName('ZZZ', 'ar', b)).toBe('Atlantis');
    expect(countryName('ZZZ', 'fr', b)).toBe('Atlantide');
    expect(countryName('ZZZ', 'zh', undefined)).toBe('ZZZ');
  });
});

describe('notes verbales (letters.ts)', async () => {
  const { LETTERS } = await import('../src/render/i18n/letters.js');
  const U = 'UNITX';
  const S = 'STATEX';
  it.each(LANGS)('%s: the courtesy formulas name the Unit and the State, and every level differs', (lang) => {
    const L = LETTERS[lang];
    for (const t of [L.invoiceOpening(U, S, 2031, 'ISU-2031-001'), L.creditNoteOpening(U, S, 'CN-2031-001', 'ISU-2031-001'), L.ackOpening(U, S, 'AMT', 'DATEX'), L.closing(U, S), ...([1, 2, 3] as const).map((l) => L.reminderOpening(l, U, S, 'DATEX'))]) {
      expect(t).toContain(U);
      expect(t).toContain(S);
      expect(t).not.toMatch(/[<>]|undefined/);
    }
    expect(L.invoiceOpening(U, S, 2031, 'ISU-2031-001')).toContain('ISU-2031-001');
    expect(L.invoiceOpening(U, S, 2031, 'ISU-2031-001')).toContain('2031');
    expect(new Set(([1, 2, 3] as const).map((l) => L.reminderOpening(l, U, S, 'D'))).size).toBe(3);
    expect(L.placeDate('PLACE', 'DATEX')).toMatch(/PLACE.*DATEX|DATEX.*PLACE/);
    expect(L.pageOf.join('')).not.toMatch(/["\\]/); // CSS strings
    if (lang !== 'en') expect(L.closing(U, S)).not.toBe(LETTERS.en.closing(U, S));
  });
});
