import { formatMessage, type MessageValues } from './message-format.js';

/**
 * The languages donors read Goalpost in: the widget, the thank-you and manage pages, the mails.
 * A donor's language is chosen in the widget and sent with the checkout as `locale`.
 */
export const SUPPORTED_LANGUAGES = ['en', 'de', 'fr', 'es'] as const;
export type Language = (typeof SUPPORTED_LANGUAGES)[number];

/** What everything falls back to, and what donations without a known language (offline, imported) use. */
export const DEFAULT_LANGUAGE: Language = 'en';

function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (SUPPORTED_LANGUAGES as readonly string[]).includes(value);
}

/** The supported language of a BCP 47 tag ("de-CH" → "de"), or null. */
export function languageOf(tag: string | null | undefined): Language | null {
  const base = tag?.trim().toLowerCase().split(/[-_]/)[0];
  return isLanguage(base) ? base : null;
}

/** The first of the tags (most preferred first) that names a supported language, else English. */
export function pickLanguage(...tags: (string | null | undefined)[]): Language {
  for (const tag of tags) {
    const language = languageOf(tag);
    if (language) return language;
  }
  return DEFAULT_LANGUAGE;
}

/** The Intl locale a language formats with on the server; English stays "en-US" ("$25.00", "January 5, 2025"). */
export function formattingLocale(language: Language): string {
  return language === 'en' ? 'en-US' : language;
}

/** One surface's messages (widget, donor pages, mails), every key in every language. */
export type Catalogue<Key extends string> = Record<Language, Record<Key, string>>;

export type Translate<Key extends string> = (key: Key, values?: MessageValues) => string;

/**
 * A catalogue's messages in one language, formatted for `locale` (numbers, plurals). The locale
 * may be more precise than the language ("de-CH" formats numbers the Swiss way).
 */
export function translator<Key extends string>(catalogue: Catalogue<Key>, language: Language, locale: string = language): Translate<Key> {
  const messages = catalogue[language];
  return (key, values) => formatMessage(messages[key], locale, values);
}

const monthFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * A period key ("2024-11") as its label in a language: "NOVEMBER 2024", "NOVEMBRE 2024",
 * "NOVIEMBRE 2024". The month name comes from Intl and the year is appended as is, since
 * some languages' full pattern adds words ("noviembre de 2024") the bar's label leaves out.
 */
export function monthLabel(periodKey: string, language: Language): string {
  const [year, month] = periodKey.split('-').map(Number) as [number, number];
  let format = monthFormats.get(language);
  if (!format) monthFormats.set(language, (format = new Intl.DateTimeFormat(language, { month: 'long', timeZone: 'UTC' })));
  const name = format.format(new Date(Date.UTC(year, month - 1, 15)));
  return `${name} ${year}`.toLocaleUpperCase(language);
}
