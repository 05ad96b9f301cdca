import { formattingLocale, pickLanguage, translator } from '../../domain/i18n/languages.js';
import { PAGE_MESSAGES } from '../../domain/i18n/page-messages.js';
import { fill, h } from '../shared/dom.js';
import { decimalString, formatAmount, parseAmount } from '../shared/money.js';

/**
 * The monthly donor's manage page (/donor/manage?token=…): lists the donations the link's
 * email makes every month and lets the donor change the amount, update the card (Stripe's
 * Billing Portal) or stop one. It only calls the JSON routes with the link's token. Every
 * outcome is announced in a live region, and each control is a labelled native element.
 * It speaks the language the manage link names (`&lang=`, from the donor's checkout), else the
 * browser's.
 */
interface DonorSubscription {
  id: string;
  campaign: string;
  amount: number;
  currency: string;
  status: 'active' | 'past_due' | 'paused' | 'canceled';
  started_at: string;
  next_payment_at: string | null;
  canceled_at: string | null;
}

const query = new URLSearchParams(location.search);
const language = pickLanguage(query.get('lang'), ...navigator.languages);
const locale = formattingLocale(language);
const t = translator(PAGE_MESSAGES, language, locale);
document.documentElement.lang = language;
document.title = t('manage.title');
document.getElementById('title')!.textContent = t('manage.title');

const app = document.getElementById('app')!;
const token = query.get('token') ?? '';
const status = h('p', { role: 'status', 'aria-live': 'polite' });
const alert = h('p', { role: 'alert' });
const list = h('div');

async function call<T>(method: string, path: string, body?: object): Promise<T> {
  const response = await fetch(path, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = (await response.json().catch(() => ({}))) as { detail?: string; errors?: { message: string }[] } & T;
  if (response.status === 401) throw new LinkExpired();
  // The API's own words (English) say what is wrong with an amount; the fallback is the donor's language.
  if (!response.ok) throw new Error(json.errors?.[0]?.message ? `The amount ${json.errors[0].message}.` : (json.detail ?? t('manage.failed')));
  return json;
}

class LinkExpired extends Error {}

const dateOf = (iso: string) => new Date(iso).toLocaleDateString(locale, { dateStyle: 'long' });

function say(message: string): void {
  alert.textContent = '';
  status.textContent = message;
}

function fail(error: unknown): void {
  if (error instanceof LinkExpired) return showExpired();
  status.textContent = '';
  alert.textContent = error instanceof Error ? error.message : String(error);
}

function subscriptionCard(subscription: DonorSubscription): HTMLElement {
  const money = formatAmount(subscription.amount, subscription.currency, locale);
  const headingId = `sub-${subscription.id}`;
  const live = subscription.status !== 'canceled';
  const input = h('input', {
    id: `amount-${subscription.id}`,
    name: 'amount',
    inputmode: 'decimal',
    autocomplete: 'off',
    value: decimalString(subscription.amount, subscription.currency, locale),
  });
  const changeForm = h(
    'form',
    {
      onsubmit: (event: Event) => {
        event.preventDefault();
        const amount = parseAmount(input.value, subscription.currency, locale);
        if (amount === null || amount <= 0) return fail(new Error(t('manage.amount_invalid')));
        call<DonorSubscription>('PATCH', `/v1/donor/subscriptions/${subscription.id}`, { amount })
          .then((changed) => load(t('manage.changed', { amount: formatAmount(changed.amount, changed.currency, locale) })))
          .catch(fail);
      },
    },
    h('label', { for: input.id }, t('manage.new_amount', { currency: subscription.currency.toUpperCase() })),
    input,
    h('button', { type: 'submit', class: 'primary' }, t('manage.change')),
  );
  let confirming = false;
  const stop = h('button', { type: 'button', class: 'danger' }, t('manage.stop'));
  stop.addEventListener('click', () => {
    if (!confirming) {
      confirming = true;
      stop.textContent = t('manage.stop_confirm');
      say(t('manage.stop_ask', { amount: money, campaign: subscription.campaign }));
      return;
    }
    call<DonorSubscription>('POST', `/v1/donor/subscriptions/${subscription.id}/cancel`)
      .then(() => load(t('manage.stopped', { campaign: subscription.campaign })))
      .catch(fail);
  });
  const card = h('button', { type: 'button' }, t('manage.update_card'));
  card.addEventListener('click', () => {
    call<{ url: string }>('POST', `/v1/donor/subscriptions/${subscription.id}/payment-method`)
      .then(({ url }) => location.assign(url))
      .catch(fail);
  });
  return h(
    'section',
    { 'aria-labelledby': headingId },
    h('h2', { id: headingId }, t('manage.heading', { amount: money, campaign: subscription.campaign })),
    h('p', {}, h('span', { class: `status ${subscription.status}` }, t(`manage.status.${subscription.status}`))),
    h(
      'p',
      {},
      t('manage.since', { date: dateOf(subscription.started_at) }),
      subscription.canceled_at ? ` ${t('manage.stopped_on', { date: dateOf(subscription.canceled_at) })}` : '',
      subscription.next_payment_at && live ? ` ${t('manage.next_payment', { date: dateOf(subscription.next_payment_at) })}` : '',
    ),
    live ? [changeForm, card, stop] : null,
  );
}

async function load(message?: string): Promise<void> {
  try {
    const { data } = await call<{ data: DonorSubscription[] }>('GET', '/v1/donor/subscriptions');
    fill(list, data.length ? data.map(subscriptionCard) : h('p', {}, t('manage.none')));
    if (message) say(message);
  } catch (error) {
    fail(error);
  }
}

function showExpired(): void {
  const email = h('input', { id: 'email', name: 'email', type: 'email', autocomplete: 'email', required: true });
  fill(
    list,
    h('p', {}, t('manage.link_expired')),
    h(
      'form',
      {
        onsubmit: (event: Event) => {
          event.preventDefault();
          fetch('/v1/donor/links', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: email.value }) })
            .then(() => say(t('manage.link_sent')))
            .catch(fail);
        },
      },
      h('label', { for: 'email' }, t('manage.email')),
      email,
      h('button', { type: 'submit', class: 'primary' }, t('manage.send_link')),
    ),
  );
}

app.append(status, alert, list);
if (token) void load();
else showExpired();
