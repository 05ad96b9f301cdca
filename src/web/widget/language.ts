import { languageOf, translator, type Language, type Translate } from '../../domain/i18n/languages.js';
import { WIDGET_MESSAGES, type WidgetMessage } from '../../domain/i18n/widget-messages.js';

/**
 * The language tag a widget element speaks: its own `lang`, its `locale` (the older name), the
 * nearest `lang` around it (usually `<html lang>`), then the browser's. The first tag naming a
 * supported language wins (kept whole, so "de-CH" formats numbers the Swiss way); else en-US.
 */
export function widgetLocale(element: HTMLElement): string {
  return localeOf([
    element.getAttribute('lang'),
    element.getAttribute('locale'),
    element.parentElement?.closest('[lang]')?.getAttribute('lang'),
    ...navigator.languages,
    navigator.language,
  ]);
}

/**
 * The first tag naming a supported language, canonical ("de-ch" → "de-CH"). A tag that names
 * one but is not valid BCP 47 ("de_DE", a common slip in page markup) falls back to its bare
 * language, since Intl throws on it and every number and label of the widget is formatted by Intl.
 */
export function localeOf(tags: readonly (string | null | undefined)[]): string {
  const tag = tags.find((candidate) => languageOf(candidate));
  if (!tag) return 'en-US';
  try {
    return Intl.getCanonicalLocales(tag.trim())[0]!;
  } catch {
    return languageOf(tag)!;
  }
}

export function widgetLanguage(element: HTMLElement): Language {
  return languageOf(widgetLocale(element)) ?? 'en';
}

export function widgetTranslator(element: HTMLElement): Translate<WidgetMessage> {
  return translator(WIDGET_MESSAGES, widgetLanguage(element), widgetLocale(element));
}
