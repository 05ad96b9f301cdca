import { fill, h } from '../shared/dom.js';
import { decimalString, formatAmount, parseAmount } from '../shared/money.js';

/**
 * The monthly donor's manage page (/donor/manage?token=…): lists the donations the link's
 * email makes every month and lets the donor change the amount, update the card (Stripe's
 * Billing Portal) or stop one. It only calls the JSON routes with the link's token. Every
 * outcome is announced in a live region, and each control is a labelled native element.
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

const STATUS_LABEL: Record<DonorSubscription['status'], string> = {
  active: 'Active',
  past_due: 'Payment failed — please update your card',
  paused: 'Paused',
  canceled: 'Stopped',
};

const app = document.getElementById('app')!;
const token = new URLSearchParams(location.search).get('token') ?? '';
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
  if (!response.ok) throw new Error(json.errors?.[0]?.message ? `The amount ${json.errors[0].message}.` : (json.detail ?? 'Something went wrong. Please try again.'));
  return json;
}

class LinkExpired extends Error {}

const dateOf = (iso: string) => new Date(iso).toLocaleDateString('en-US', { dateStyle: 'long' });

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
  const money = formatAmount(subscription.amount, subscription.currency);
  const headingId = `sub-${subscription.id}`;
  const live = subscription.status !== 'canceled';
  const input = h('input', {
    id: `amount-${subscription.id}`,
    name: 'amount',
    inputmode: 'decimal',
    autocomplete: 'off',
    value: decimalString(subscription.amount, subscription.currency),
  });
  const changeForm = h(
    'form',
    {
      onsubmit: (event: Event) => {
        event.preventDefault();
        const amount = parseAmount(input.value, subscription.currency);
        if (amount === null || amount <= 0) return fail(new Error('Enter an amount such as 25 or 12.50.'));
        call<DonorSubscription>('PATCH', `/v1/donor/subscriptions/${subscription.id}`, { amount })
          .then((changed) => load(`Your monthly donation is now ${formatAmount(changed.amount, changed.currency)}, from the next payment.`))
          .catch(fail);
      },
    },
    h('label', { for: input.id }, `New monthly amount (${subscription.currency.toUpperCase()})`),
    input,
    h('button', { type: 'submit', class: 'primary' }, 'Change amount'),
  );
  let confirming = false;
  const stop = h('button', { type: 'button', class: 'danger' }, 'Stop this donation');
  stop.addEventListener('click', () => {
    if (!confirming) {
      confirming = true;
      stop.textContent = 'Yes, stop it now';
      say(`Press again to stop your monthly donation of ${money} to ${subscription.campaign}. Nothing more will be charged.`);
      return;
    }
    call<DonorSubscription>('POST', `/v1/donor/subscriptions/${subscription.id}/cancel`)
      .then(() => load(`Your monthly donation to ${subscription.campaign} is stopped. Thank you for your support.`))
      .catch(fail);
  });
  const card = h('button', { type: 'button' }, 'Update card');
  card.addEventListener('click', () => {
    call<{ url: string }>('POST', `/v1/donor/subscriptions/${subscription.id}/payment-method`)
      .then(({ url }) => location.assign(url))
      .catch(fail);
  });
  return h(
    'section',
    { 'aria-labelledby': headingId },
    h('h2', { id: headingId }, `${money} a month to ${subscription.campaign}`),
    h('p', {}, h('span', { class: `status ${subscription.status}` }, STATUS_LABEL[subscription.status])),
    h(
      'p',
      {},
      `Since ${dateOf(subscription.started_at)}. `,
      subscription.canceled_at ? `Stopped on ${dateOf(subscription.canceled_at)}.` : '',
      subscription.next_payment_at && live ? `Next payment: ${dateOf(subscription.next_payment_at)}.` : '',
    ),
    live ? [changeForm, card, stop] : null,
  );
}

async function load(message?: string): Promise<void> {
  try {
    const { data } = await call<{ data: DonorSubscription[] }>('GET', '/v1/donor/subscriptions');
    fill(list, data.length ? data.map(subscriptionCard) : h('p', {}, 'There are no monthly donations for this email address.'));
    if (message) say(message);
  } catch (error) {
    fail(error);
  }
}

function showExpired(): void {
  const email = h('input', { id: 'email', name: 'email', type: 'email', autocomplete: 'email', required: true });
  fill(
    list,
    h('p', {}, 'This link has expired or is not valid. Enter your email address and we will send you a new one.'),
    h(
      'form',
      {
        onsubmit: (event: Event) => {
          event.preventDefault();
          fetch('/v1/donor/links', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: email.value }) })
            .then(() => say('If this email address has monthly donations, a new link is on its way.'))
            .catch(fail);
        },
      },
      h('label', { for: 'email' }, 'Email address'),
      email,
      h('button', { type: 'submit', class: 'primary' }, 'Send me a new link'),
    ),
  );
}

app.append(status, alert, list);
if (token) void load();
else showExpired();
