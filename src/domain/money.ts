/**
 * Money is an integer in the currency's minor unit with a lowercase ISO code, as Stripe has it.
 * Formatting for people happens only at the edges (receipts, dashboard) through Intl.
 */
export interface Money {
  amount: number;
  currency: string;
}

/** Currencies Stripe charges in (https://docs.stripe.com/currencies). */
export const STRIPE_CURRENCIES = new Set(
  (
    'usd aed afn all amd ang aoa ars aud awg azn bam bbd bdt bgn bhd bif bmd bnd bob brl bsd bwp byn bzd cad cdf ' +
    'chf clp cny cop crc cve czk djf dkk dop dzd egp etb eur fjd fkp gbp gel gip gmd gnf gtq gyd hkd hnl htg huf ' +
    'idr ils inr isk jmd jod jpy kes kgs khr kmf krw kwd kyd kzt lak lbp lkr lrd lsl mad mdl mga mkd mmk mnt mop ' +
    'mur mvr mwk mxn myr mzn nad ngn nio nok npr nzd omr pab pen pgk php pkr pln pyg qar ron rsd rub rwf sar sbd ' +
    'scr sek sgd shp sle sos srd std szl thb tjs tnd top try ttd twd tzs uah ugx uyu uzs vnd vuv wst xaf xcd xof ' +
    'xpf yer zar zmw'
  ).split(' '),
);

/** Amounts in these are whole units: 500 JPY is ¥500 (https://docs.stripe.com/currencies#zero-decimal). */
export const ZERO_DECIMAL_CURRENCIES = new Set([
  'bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf',
]);

/** Three-decimal currencies Stripe accepts only in multiples of 10 minor units. */
export const THREE_DECIMAL_CURRENCIES = new Set(['bhd', 'jod', 'kwd', 'omr', 'tnd']);

// Stripe's minimum charge per settlement currency (https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts).
const MINIMUM_CHARGE: Record<string, number> = {
  usd: 50, aed: 200, aud: 50, bgn: 100, brl: 50, cad: 50, chf: 50, czk: 1500, dkk: 250, eur: 50,
  gbp: 30, hkd: 400, huf: 17500, inr: 50, jpy: 50, mxn: 1000, myr: 200, nok: 300, nzd: 50, pln: 200,
  ron: 200, sek: 300, sgd: 50, thb: 1000,
};

export function isSupportedCurrency(currency: string): boolean {
  return STRIPE_CURRENCIES.has(currency);
}

export function minorUnitDigits(currency: string): number {
  if (ZERO_DECIMAL_CURRENCIES.has(currency)) return 0;
  if (THREE_DECIMAL_CURRENCIES.has(currency)) return 3;
  return 2;
}

/** The smallest amount Stripe will charge; where Stripe lists none, the equivalent of 0.50 units. */
export function minimumCharge(currency: string): number {
  return MINIMUM_CHARGE[currency] ?? (ZERO_DECIMAL_CURRENCIES.has(currency) ? 1 : 50);
}

/** Building an Intl formatter costs far more than formatting with it: one per locale and currency. */
const moneyFormats = new Map<string, Intl.NumberFormat>();

export function formatMoney({ amount, currency }: Money, locale = 'en-US'): string {
  const digits = minorUnitDigits(currency);
  const key = `${locale}|${currency}`;
  let format = moneyFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: currency.toUpperCase(),
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    moneyFormats.set(key, format);
  }
  return format.format(amount / 10 ** digits);
}
