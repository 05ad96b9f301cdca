import { languageOf, translator, type Language, type Translate } from '../../domain/i18n/languages.js';
import { WIDGET_MESSAGES, type WidgetMessage } from '../../domain/i18n/widget-messages.js';

/**
 * The language tag a widget element speaks: its own `lang`, its `locale` (the older name), the
 * nearest `lang` around it (usually `<html lang>`), then the browser's. The first tag naming a
 * supported language wins (kept whole, so "de-CH" formats numbers the Swiss way); else en-US.
 */
export function widgetLocale(element: HTMLElement): string {
  const tags = [
    element.getAttribute('lang'),
    element.getAttribute('locale'),
    element.parentElement?.closest('[lang]')?.getAttribute('lang'),
    ...navigator.languages,
    navigator.language,
  ];
  return tags.find((tag) => languageOf(tag)) ?? 'en-US';
}

export function widgetLanguage(element: HTMLElement): Language {
  return languageOf(widgetLocale(element)) ?? 'en';
}

export function widgetTranslator(element: HTMLElement): Translate<WidgetMessage> {
  return translator(WIDGET_MESSAGES, widgetLanguage(element), widgetLocale(element));
}
