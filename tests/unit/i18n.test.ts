import { describe, expect, it } from 'vitest';
import { donationCharge } from '../../src/domain/fees.js';
import { languageOf, monthLabel, pickLanguage, SUPPORTED_LANGUAGES, translator, type Catalogue } from '../../src/domain/i18n/languages.js';
import { MAIL_MESSAGES } from '../../src/domain/i18n/mail-messages.js';
import { formatMessage, messageArguments, MessageFormatError } from '../../src/domain/i18n/message-format.js';
import { PAGE_MESSAGES } from '../../src/domain/i18n/page-messages.js';
import { WIDGET_MESSAGES } from '../../src/domain/i18n/widget-messages.js';
import { localeOf } from '../../src/web/widget/language.js';

describe('formatMessage (the ICU MessageFormat subset)', () => {
  it('fills arguments, and formats number arguments in the locale', () => {
    expect(formatMessage('Hello {name}!', 'en', { name: 'Ada' })).toBe('Hello Ada!');
    expect(formatMessage('{n, number} items', 'en', { n: 1234.5 })).toBe('1,234.5 items');
    expect(formatMessage('{n, number} Stück', 'de', { n: 1234.5 })).toBe('1.234,5 Stück');
    expect(formatMessage('{n} articles', 'fr', { n: 1234 })).toBe('1\u202f234 articles');
  });

  it('picks plural cases by exact value first, then by the language plural rules, with # as the number', () => {
    const message = '{count, plural, =0 {no donors} one {# donor} other {# donors}}';
    expect(formatMessage(message, 'en', { count: 0 })).toBe('no donors');
    expect(formatMessage(message, 'en', { count: 1 })).toBe('1 donor');
    expect(formatMessage(message, 'en', { count: 1500 })).toBe('1,500 donors');
    // French counts 0 and 1.5 as "one"; English does not.
    const french = '{n, plural, one {# don} other {# dons}}';
    expect(formatMessage(french, 'fr', { n: 1.5 })).toBe('1,5 don');
    expect(formatMessage(french, 'fr', { n: 2 })).toBe('2 dons');
  });

  it('reads # in a select nested in a plural as the plural number, as ICU does', () => {
    const message = '{n, plural, one {{kind, select, monthly {# monthly gift} other {# gift}}} other {{kind, select, monthly {# monthly gifts} other {# gifts}}}}';
    expect(formatMessage(message, 'en', { n: 1200, kind: 'monthly' })).toBe('1,200 monthly gifts');
    expect(formatMessage(message, 'en', { n: 1, kind: 'once' })).toBe('1 gift');
    expect(formatMessage('{kind, select, other {#1}}', 'en', { kind: 'x' })).toBe('#1');
  });

  it('picks select cases by value, falling back to other, with nested arguments', () => {
    const message = '{frequency, select, monthly {{amount} a month} other {{amount} once}}';
    expect(formatMessage(message, 'en', { frequency: 'monthly', amount: '$5' })).toBe('$5 a month');
    expect(formatMessage(message, 'en', { frequency: 'one_time', amount: '$5' })).toBe('$5 once');
  });

  it('quotes with apostrophes as ICU does, and leaves a lone apostrophe alone', () => {
    expect(formatMessage("l'organisation {name}", 'fr', { name: 'X' })).toBe("l'organisation X");
    expect(formatMessage("'{literal}' and '' and {a}", 'en', { a: 1 })).toBe("{literal} and ' and 1");
  });

  it('refuses malformed messages and missing values instead of printing braces', () => {
    expect(() => formatMessage('Hello {name', 'en', { name: 'x' })).toThrow(MessageFormatError);
    expect(() => formatMessage('{n, plural, one {x}}', 'en', { n: 1 })).toThrow(/other/);
    expect(() => formatMessage('{n, date}', 'en', { n: 1 })).toThrow(/unsupported/);
    expect(() => formatMessage('Hello {name}', 'en')).toThrow(/no value for "name"/);
    expect(() => formatMessage('a } b', 'en')).toThrow(/unmatched/);
  });

  it('lists the arguments a message uses, inside plural and select cases too', () => {
    expect([...messageArguments('{a} {b, plural, one {{c}} other {#}} {d, select, x {{e}} other {}}')].sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});

describe('languages', () => {
  it('reads a supported language from a BCP 47 tag and falls back to English', () => {
    expect(languageOf('de-CH')).toBe('de');
    expect(languageOf('FR')).toBe('fr');
    expect(languageOf('it-IT')).toBeNull();
    expect(pickLanguage(null, 'it', 'es-419')).toBe('es');
    expect(pickLanguage('pt')).toBe('en');
  });

  it('labels a month in each language from its key, without the words a full date pattern adds', () => {
    expect(monthLabel('2024-11', 'en')).toBe('NOVEMBER 2024');
    expect(monthLabel('2024-11', 'de')).toBe('NOVEMBER 2024');
    expect(monthLabel('2024-11', 'fr')).toBe('NOVEMBRE 2024');
    expect(monthLabel('2024-11', 'es')).toBe('NOVIEMBRE 2024');
    expect(monthLabel('2025-02', 'fr')).toBe('FÉVRIER 2025');
    expect(monthLabel('2025-03', 'de')).toBe('MÄRZ 2025');
  });
});

const CATALOGUES: Record<string, Catalogue<string>> = { widget: WIDGET_MESSAGES, pages: PAGE_MESSAGES, mails: MAIL_MESSAGES };

describe.each(Object.entries(CATALOGUES))('the %s catalogue', (_name, catalogue) => {
  const english = catalogue.en;

  it.each(SUPPORTED_LANGUAGES)('has every message key in %s, and no other', (language) => {
    expect(Object.keys(catalogue[language]).sort()).toEqual(Object.keys(english).sort());
  });

  it.each(SUPPORTED_LANGUAGES)('asks for the same arguments in %s as in English, and every message parses', (language) => {
    for (const [key, message] of Object.entries(catalogue[language])) {
      expect({ key, names: [...messageArguments(message)].sort() }).toEqual({ key, names: [...messageArguments(english[key]!)].sort() });
    }
  });
});

describe('catalogue messages as donors read them', () => {
  it('says the fee line with amounts formatted in the language', () => {
    const { fee, total } = donationCharge(2500, 'eur', true, { percent: 2.9, fixed: 30 });
    const euros = (amount: number, locale: string) =>
      new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR' }).format(amount / 100);
    const french = translator(WIDGET_MESSAGES, 'fr');
    expect(french('form.fee_detail', { frequency: 'one_time', fee: euros(fee, 'fr'), total: euros(total, 'fr') })).toBe(
      '+ 1,06\u00a0€ pour couvrir les frais, total 26,06\u00a0€',
    );
    const german = translator(MAIL_MESSAGES, 'de');
    expect(german('manage.body', { email: 'a@example.org', days: 1 })).toContain('Er gilt 1 Tag;');
    expect(german('manage.body', { email: 'a@example.org', days: 30 })).toContain('Er gilt 30 Tage;');
    expect(translator(WIDGET_MESSAGES, 'es')('form.message_left', { left: 1 })).toBe('queda 1 carácter');
  });
});

describe('the widget locale', () => {
  it('is the first tag naming a supported language, canonical, and never one Intl refuses', () => {
    expect(localeOf([null, 'nl', 'de-ch', 'fr'])).toBe('de-CH');
    // "de_DE" names German but is not BCP 47: Intl would throw and the widget would draw nothing.
    expect(localeOf(['de_DE'])).toBe('de');
    expect(() => new Intl.NumberFormat(localeOf(['de_DE'])).format(1)).not.toThrow();
    expect(localeOf(['nl', undefined])).toBe('en-US');
  });
});
