/**
 * The six UN languages that finproc writes its documents in. Data, not rendering: the books
 * (missions.csv, the register) and the invoice job name a State's language; the catalogues of
 * words live in render/i18n/.
 */
export const LANGS = ['en', 'fr', 'es', 'ar', 'ru', 'zh'] as const;
export type Lang = (typeof LANGS)[number];
