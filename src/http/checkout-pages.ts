import { DEFAULT_LANGUAGE, formattingLocale, translator, type Language, type Translate } from '../domain/i18n/languages.js';
import { PAGE_MESSAGES, type PageMessage } from '../domain/i18n/page-messages.js';
import { formatMoney } from '../domain/money.js';
import type { CheckoutState } from '../services/checkout.js';

/**
 * The default pages Stripe sends donors back to when the donate form gave no URLs of its own.
 * Plain HTML without scripts; a page still waiting for Stripe's confirmation reloads itself.
 * They speak the language the checkout named (English when it named none).
 */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** `title` and `body` are HTML already (catalogue messages go through `escaped`). */
function page(language: Language, title: string, body: string, refreshSeconds?: number): string {
  return `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
${refreshSeconds ? `<meta http-equiv="refresh" content="${refreshSeconds}">` : ''}<title>${title}</title></head>
<body style="max-width:36rem;margin:3rem auto;padding:0 1rem;font:18px/1.5 system-ui,sans-serif">
${body}
</body></html>`;
}

/** A catalogue message as HTML text: values and message alike are escaped. */
function escaped(t: Translate<PageMessage>): Translate<PageMessage> {
  return (key, values) => escapeHtml(t(key, values));
}

export function thankYouPage(state: CheckoutState, manageUrl: string | null = null): string {
  const language = state.locale ?? DEFAULT_LANGUAGE;
  const t = escaped(translator(PAGE_MESSAGES, language, formattingLocale(language)));
  const campaign = state.campaign_name;
  if (state.status === 'expired') {
    return page(language, t('expired.title'), `<h1>${t('expired.heading')}</h1><p>${t('expired.body', { campaign })}</p>`);
  }
  const { donation } = state;
  if (donation?.status === 'failed') {
    return page(language, t('failed.title'), `<h1>${t('failed.heading')}</h1><p>${t('failed.body', { campaign })}</p>`);
  }
  if (!donation || donation.status !== 'succeeded') {
    return page(language, t('pending.title'), `<h1>${t('pending.heading')}</h1><p>${t('pending.body', { campaign })}</p>`, 3);
  }
  const amount = formatMoney({ amount: donation.amount + donation.fee_amount, currency: donation.currency }, formattingLocale(language));
  const heading = t('thanks.heading', { named: donation.donor_name ? 'yes' : 'no', name: donation.donor_name ?? '' });
  const receipt = donation.receipt_number ? ` ${t('thanks.receipt', { number: donation.receipt_number })}` : '';
  const manage = manageUrl
    ? `<p>${t('thanks.manage')} <a href="${escapeHtml(manageUrl)}">${t('thanks.manage_link')}</a>.</p>`
    : '';
  const body = t('thanks.body', { frequency: donation.frequency, amount, campaign });
  return page(language, t('thanks.title'), `<h1>${heading}</h1><p>${body}${receipt}</p>${manage}`);
}

export function canceledPage(language: Language = DEFAULT_LANGUAGE): string {
  const t = escaped(translator(PAGE_MESSAGES, language));
  return page(language, t('canceled.title'), `<h1>${t('canceled.heading')}</h1><p>${t('canceled.body')}</p>`);
}
