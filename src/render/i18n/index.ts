/**
 * The six message catalogues, and the names of States in each language.
 *
 * Translations (notes for reviewers)
 * - Register: formal UN / treaty-secretariat correspondence. Terms follow UN usage: fr « Réunion
 *   des États parties », « Unité d’appui à l’application », « quote-part », « barème des
 *   quotes-parts », « pays les moins avancés »; es «Reunión de los Estados Partes», «Dependencia
 *   de Apoyo a la Aplicación», «escala de cuotas», «tasa de prorrateo», «países menos
 *   adelantados»; ar "اجتماع الدول الأطراف"، "وحدة دعم التنفيذ"، "جدول الأنصبة المقررة"، "أقل
 *   البلدان نمواً"; ru «Совещание государств-участников», «Группа имплементационной поддержки»,
 *   «шкала взносов ООН», «наименее развитые страны»; zh "缔约国会议", "执行支助股",
 *   "联合国会费分摊比额表", "最不发达国家". The texts were written from general knowledge of UN
 *   terminology (UNTERM usage), not from a translation memory: a native reviewer per language
 *   should read them before the first real mailing.
 * - Numbers are written with Western digits in every language, each with its own separators:
 *   en "1,234.50", fr "1 234,50" (U+202F), es "1.234,50" (grouped from four digits on, unlike
 *   CLDR, so every amount has one spelling), ru "1 234,50" (U+00A0), zh "1,234.50", ar
 *   "1,234.50" (Latin digits: amounts are identical across languages and searchable). The minus
 *   sign is ASCII "-" everywhere.
 * - Arabic: amounts, numbers and percentages are left-to-right isolates (LRI … PDI), and Latin
 *   parameters (invoice numbers, ids, e-mail…) first-strong isolates (FSI … PDI), so the bidi
 *   algorithm cannot reorder them inside right-to-left sentences (see ar.ts).
 * - Russian: nouns after counts agree through `ruPlural` (ru.ts); State names are never declined
 *   (sentences put them after a dash). French and Spanish likewise avoid "de" + State name,
 *   which would need an article (« de l’Autriche », «del Reino Unido»).
 * - State names: en/fr/es from the books (states.csv) when given; ar/ru/zh from
 *   i18n-iso-countries, except the names in UN_NAMES below, where the package's name is not the
 *   UN short name (e.g. ar "الفاتيكان" for the Holy See, ru "ЦАР", zh "刚果（金）").
 */
import countries from 'i18n-iso-countries/index.js';
import arNames from 'i18n-iso-countries/langs/ar.json' with { type: 'json' };
import enNames from 'i18n-iso-countries/langs/en.json' with { type: 'json' };
import esNames from 'i18n-iso-countries/langs/es.json' with { type: 'json' };
import frNames from 'i18n-iso-countries/langs/fr.json' with { type: 'json' };
import ruNames from 'i18n-iso-countries/langs/ru.json' with { type: 'json' };
import zhNames from 'i18n-iso-countries/langs/zh.json' with { type: 'json' };
import { ar } from './ar.js';
import { en } from './en.js';
import { es } from './es.js';
import { fr } from './fr.js';
import { ru } from './ru.js';
import { zh } from './zh.js';
import { LANGS, type Lang, type Messages } from './types.js';

// Only the six UN languages are registered (importing the package's main entry would load
// all of its ~80 locales).
for (const names of [enNames, frNames, esNames, arNames, ruNames, zhNames]) countries.registerLocale(names);

export const MESSAGES: Record<Lang, Messages> = { en, fr, es, ar, ru, zh };

export function messagesFor(lang: Lang): Messages {
  return MESSAGES[lang];
}

export function isLang(s: string): s is Lang {
  return (LANGS as readonly string[]).includes(s);
}

/** A date written `YYYY-MM-DD`, in the language of `m`. Throws on anything else. */
export function formatIsoDate(m: Messages, iso: string): string {
  const r = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  const [y, mo, d] = r ? [Number(r[1]), Number(r[2]), Number(r[3])] : [0, 0, 0];
  if (!r || mo < 1 || mo > 12 || d < 1 || d > new Date(Date.UTC(y, mo, 0)).getUTCDate()) throw new Error(`not a date (YYYY-MM-DD): ${JSON.stringify(iso)}`);
  return m.date(y, mo, d);
}

/**
 * UN short names where i18n-iso-countries has an informal, outdated or non-UN name (Arabic,
 * Russian and Chinese only; en/fr/es come from the books). Keep to States that may be or
 * become States Parties; add to it rather than patch the package.
 */
const UN_NAMES: Partial<Record<'ar' | 'ru' | 'zh', Record<string, string>>> = {
  ar: {
    BLR: 'بيلاروس',
    BOL: 'بوليفيا (دولة - المتعددة القوميات)',
    BRN: 'بروني دار السلام',
    CIV: 'كوت ديفوار',
    CPV: 'كابو فيردي',
    CZE: 'تشيكيا',
    FSM: 'ميكرونيزيا (ولايات - الموحدة)',
    IRN: 'إيران (جمهورية - الإسلامية)',
    KOR: 'جمهورية كوريا',
    LAO: 'جمهورية لاو الديمقراطية الشعبية',
    MDA: 'جمهورية مولدوفا',
    MMR: 'ميانمار',
    PRK: 'جمهورية كوريا الشعبية الديمقراطية',
    PSE: 'دولة فلسطين',
    SAU: 'المملكة العربية السعودية',
    SWZ: 'إسواتيني',
    SYR: 'الجمهورية العربية السورية',
    TLS: 'تيمور - ليشتي',
    TZA: 'جمهورية تنزانيا المتحدة',
    USA: 'الولايات المتحدة الأمريكية',
    VAT: 'الكرسي الرسولي',
    VEN: 'فنزويلا (جمهورية - البوليفارية)',
    VNM: 'فييت نام',
  },
  ru: {
    ARE: 'Объединенные Арабские Эмираты',
    BHS: 'Багамские Острова',
    BOL: 'Боливия (Многонациональное Государство)',
    BRN: 'Бруней-Даруссалам',
    CAF: 'Центральноафриканская Республика',
    CHN: 'Китай',
    FSM: 'Микронезия (Федеративные Штаты)',
    GBR: 'Соединенное Королевство',
    IRN: 'Иран (Исламская Республика)',
    KGZ: 'Кыргызстан',
    LAO: 'Лаосская Народно-Демократическая Республика',
    MDA: 'Республика Молдова',
    MDV: 'Мальдивские Острова',
    PRK: 'Корейская Народно-Демократическая Республика',
    SYR: 'Сирийская Арабская Республика',
    TKM: 'Туркменистан',
    TLS: 'Тимор-Лешти',
    TZA: 'Объединенная Республика Танзания',
    USA: 'Соединенные Штаты Америки',
    VAT: 'Святой Престол',
    VEN: 'Венесуэла (Боливарианская Республика)',
    ZAF: 'Южная Африка',
  },
  zh: {
    ARE: '阿拉伯联合酋长国',
    BIH: '波斯尼亚和黑塞哥维那',
    BOL: '多民族玻利维亚国',
    BRN: '文莱达鲁萨兰国',
    CAF: '中非共和国',
    COD: '刚果民主共和国',
    COG: '刚果',
    DOM: '多米尼加共和国',
    GBR: '大不列颠及北爱尔兰联合王国',
    IDN: '印度尼西亚',
    IRN: '伊朗伊斯兰共和国',
    KOR: '大韩民国',
    LAO: '老挝人民民主共和国',
    MDA: '摩尔多瓦共和国',
    PRK: '朝鲜民主主义人民共和国',
    PSE: '巴勒斯坦国',
    SWZ: '埃斯瓦蒂尼',
    SYR: '阿拉伯叙利亚共和国',
    TZA: '坦桑尼亚联合共和国',
    USA: '美利坚合众国',
    VAT: '教廷',
    VEN: '委内瑞拉玻利瓦尔共和国',
  },
};

/**
 * A State's name in `lang`. en/fr/es: the books' spelling (states.csv) when `states` is given;
 * otherwise, and for ar/ru/zh, the UN short name above or i18n-iso-countries' name; failing
 * that the English name (the books', then the package's), failing that the code itself.
 */
export function countryName(iso3: string, lang: Lang, states: { nameEn: string; nameFr: string; nameEs: string } | undefined): string {
  const code = iso3.toUpperCase();
  const books = states ? { en: states.nameEn, fr: states.nameFr, es: states.nameEs } : undefined;
  if (books && (lang === 'en' || lang === 'fr' || lang === 'es') && books[lang].trim() !== '') return books[lang];
  const un = lang === 'ar' || lang === 'ru' || lang === 'zh' ? UN_NAMES[lang]?.[code] : undefined;
  const named = (l: Lang): string | undefined => {
    const n = countries.getName(code, l, { select: 'official' });
    return typeof n === 'string' && n.trim() !== '' ? n : undefined;
  };
  return un ?? named(lang) ?? (books && books.en.trim() !== '' ? books.en : undefined) ?? named('en') ?? code;
}

/** The name of a country given by its ISO 3166-1 alpha-2 code (postal addresses), in `lang`. */
export function countryOfAddress(alpha2: string, lang: Lang): string {
  const a3 = countries.alpha2ToAlpha3(alpha2.toUpperCase());
  return a3 ? countryName(a3, lang, undefined) : alpha2;
}
