import type Stripe from 'stripe';
import { formatMoney, isSupportedCurrency, minimumCharge } from '../currencies.js';
import { buildCheckoutSession } from '../builders/checkout-session.js';
import { buildLineItem, buildPrice } from '../builders/prices.js';
import type { EmulatorCore, EventOrigin } from '../core.js';
import { invalidRequest, missingParam, StripeApiError } from '../errors.js';
import { newId } from '../ids.js';
import type { Params } from '../params.js';
import type { CheckoutExtras } from '../store.js';

const SESSION_PARAMS = [
  'mode', 'line_items', 'success_url', 'cancel_url', 'customer_email', 'client_reference_id', 'metadata',
  'payment_intent_data', 'subscription_data', 'submit_type', 'expires_at', 'expand', 'locale',
] as const;
/** The languages Checkout's page can be shown in (https://docs.stripe.com/api/checkout/sessions/create#create_checkout_session-locale). */
const LOCALES = [
  'auto', 'bg', 'cs', 'da', 'de', 'el', 'en', 'en-GB', 'es', 'es-419', 'et', 'fi', 'fil', 'fr', 'fr-CA', 'hr', 'hu', 'id',
  'it', 'ja', 'ko', 'lt', 'lv', 'ms', 'mt', 'nb', 'nl', 'pl', 'pt', 'pt-BR', 'ro', 'ru', 'sk', 'sl', 'sv', 'th', 'tr', 'vi',
  'zh', 'zh-HK', 'zh-TW',
] as const;
const SUBMIT_TYPES = ['auto', 'book', 'donate', 'pay', 'subscribe'] as const;
const INTERVALS = ['day', 'week', 'month', 'year'] as const;
const HOUR = 3600;

function readUrl(params: Params, key: string): string | null {
  const value = params.string(key);
  if (value === undefined) return null;
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return value;
  } catch {
    // reported below
  }
  throw invalidRequest('Not a valid URL', params.name(key), 'url_invalid');
}

function readEmail(params: Params): string | null {
  const email = params.string('customer_email');
  if (email === undefined) return null;
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    throw invalidRequest(`Invalid email address: ${email}`, 'customer_email', 'email_invalid');
  }
  return email;
}

function readLineItems(params: Params, created: number): Stripe.LineItem[] {
  const items = params.list('line_items');
  if (items.length === 0) throw missingParam('line_items');
  return items.map((item) => {
    item.allowOnly(['price_data', 'quantity', 'price']);
    if (item.has('price')) throw invalidRequest(`No such price: '${item.string('price')}'`, item.name('price'), 'resource_missing');
    const quantity = item.integer('quantity', 1);
    if (quantity === undefined) throw missingParam(item.name('quantity'));
    const data = item.object('price_data').allowOnly(['currency', 'unit_amount', 'product_data', 'recurring']);
    const currency = data.requiredString('currency').toLowerCase();
    if (!isSupportedCurrency(currency)) throw invalidRequest(`Invalid currency: ${currency}.`, data.name('currency'));
    const unitAmount = data.integer('unit_amount', 0);
    if (unitAmount === undefined) throw missingParam(data.name('unit_amount'));
    const product = data.object('product_data').allowOnly(['name', 'description']);
    const name = product.requiredString('name');
    const recurring = data.object('recurring').allowOnly(['interval', 'interval_count']);
    const interval = data.has('recurring') ? recurring.oneOf('interval', INTERVALS) : undefined;
    if (data.has('recurring') && !interval) throw missingParam(recurring.name('interval'));
    const price = buildPrice({
      id: newId('price'),
      productId: newId('prod'),
      created,
      currency,
      unitAmount,
      interval: interval ?? null,
      intervalCount: recurring.integer('interval_count', 1) ?? 1,
    });
    return buildLineItem(newId('li'), price, quantity, name);
  });
}

function assertModeFits(mode: 'payment' | 'subscription', items: Stripe.LineItem[], params: Params): void {
  const recurring = items.some((item) => item.price?.recurring);
  if (mode === 'payment' && recurring) {
    throw invalidRequest(
      'You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.',
      'line_items',
    );
  }
  if (mode === 'subscription' && !recurring) {
    throw invalidRequest('You must specify at least one recurring price in `subscription` mode when using prices.', 'line_items');
  }
  if (mode === 'subscription' && params.has('payment_intent_data')) {
    throw invalidRequest('You can not pass `payment_intent_data` in `subscription` mode.', 'payment_intent_data');
  }
  if (mode === 'payment' && params.has('subscription_data')) {
    throw invalidRequest('You can not pass `subscription_data` in `payment` mode.', 'subscription_data');
  }
}

function assertSingleCurrency(items: Stripe.LineItem[]): string {
  const currencies = new Set(items.map((item) => item.currency));
  if (currencies.size > 1) throw invalidRequest('All line items must use the same currency.', 'line_items');
  return items[0]!.currency;
}

function assertMinimum(total: number, currency: string): void {
  const minimum = minimumCharge(currency);
  if (total < minimum) {
    throw invalidRequest(
      `The Checkout Session's total amount due must add up to at least ${formatMoney({ amount: minimum, currency })} ${currency}`,
      'line_items',
      'amount_too_small',
    );
  }
}

function readExpiry(params: Params, created: number): number {
  const expiresAt = params.integer('expires_at');
  if (expiresAt === undefined) return created + 24 * HOUR;
  if (expiresAt < created + HOUR / 2 || expiresAt > created + 24 * HOUR) {
    throw invalidRequest('The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.', 'expires_at');
  }
  return expiresAt;
}

function readExtras(params: Params, lineItems: Stripe.LineItem[]): CheckoutExtras {
  const paymentIntentData = params.object('payment_intent_data').allowOnly(['metadata', 'description']);
  const subscriptionData = params.object('subscription_data').allowOnly(['metadata', 'description']);
  return {
    lineItems,
    paymentIntentData: { metadata: paymentIntentData.metadata(), description: paymentIntentData.string('description') ?? null },
    subscriptionData: { metadata: subscriptionData.metadata(), description: subscriptionData.string('description') ?? null },
    delayed: false,
  };
}

/** POST /v1/checkout/sessions, validated the way Stripe validates what Goalpost sends. */
export function createCheckoutSession(core: EmulatorCore, params: Params): Stripe.Checkout.Session {
  params.allowOnly(SESSION_PARAMS);
  const mode = params.oneOf('mode', ['payment', 'subscription', 'setup'] as const);
  if (!mode) throw missingParam('mode');
  if (mode === 'setup') throw invalidRequest('The Goalpost Stripe emulator does not implement `setup` mode.', 'mode');
  const created = core.now();
  const lineItems = readLineItems(params, created);
  assertModeFits(mode, lineItems, params);
  const currency = assertSingleCurrency(lineItems);
  const amountTotal = lineItems.reduce((sum, item) => sum + item.amount_total, 0);
  assertMinimum(amountTotal, currency);
  const id = newId('cs');
  const session = buildCheckoutSession({
    id,
    url: `${core.publicUrl}/c/pay/${id}`,
    created,
    expiresAt: readExpiry(params, created),
    mode,
    submitType: params.oneOf('submit_type', SUBMIT_TYPES) ?? null,
    currency,
    amountTotal,
    successUrl: readUrl(params, 'success_url'),
    cancelUrl: readUrl(params, 'cancel_url'),
    customerEmail: readEmail(params),
    clientReferenceId: params.string('client_reference_id') ?? null,
    locale: params.oneOf('locale', LOCALES) ?? null,
    metadata: params.metadata(),
  });
  core.store.checkoutExtras.set(id, readExtras(params, lineItems));
  return core.store.insert('checkout.session', session);
}

export function requireOpenSession(core: EmulatorCore, id: string): Stripe.Checkout.Session {
  const session = core.store.require('checkout.session', id);
  if (session.status !== 'open') {
    throw new StripeApiError(
      400,
      'invalid_request_error',
      `This Checkout Session is not open (its status is ${session.status}).`,
      'checkout_session_not_open',
    );
  }
  return session;
}

/** POST /v1/checkout/sessions/:id/expire, and the automatic expiry at `expires_at`. */
export function expireCheckoutSession(core: EmulatorCore, id: string, origin?: EventOrigin): Stripe.Checkout.Session {
  const session = core.store.require('checkout.session', id);
  if (session.status !== 'open') {
    throw invalidRequest('Only Checkout Sessions with a status of `open` can be expired.', 'session');
  }
  session.status = 'expired';
  session.url = null;
  core.emit('checkout.session.expired', session, { origin });
  return session;
}

/** Sessions past their `expires_at` expire as Stripe's do, with `checkout.session.expired`. */
export function expireDueSessions(core: EmulatorCore): void {
  const now = core.now();
  for (const session of core.store.list('checkout.session', (s) => s.status === 'open' && s.expires_at <= now)) {
    expireCheckoutSession(core, session.id);
  }
}
