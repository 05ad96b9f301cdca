import type { EmulatorCore } from './core.js';
import type { ApiCall, ApiRoute } from './dispatch.js';
import { createdFilter, paginate } from './lists.js';
import { createCheckoutSession, expireCheckoutSession } from './flows/checkout.js';
import { createRefund } from './flows/adjustments.js';
import { createPortalSession } from './flows/billing-portal.js';
import { cancelSubscription, updateSubscription } from './flows/subscriptions.js';
import type { Kind } from './store.js';

const route = (method: ApiRoute['method'], path: string, handler: ApiRoute['handler']): ApiRoute => ({ method, path, handler });

function retrieve(core: EmulatorCore, kind: Kind) {
  return ({ params, path }: ApiCall) => {
    params.allowOnly(['expand']);
    return core.store.require(kind, path.id!);
  };
}

function listSessions(core: EmulatorCore, { params }: ApiCall) {
  params.allowOnly(['limit', 'starting_after', 'ending_before', 'payment_intent', 'subscription', 'status', 'created', 'expand']);
  const paymentIntent = params.string('payment_intent');
  const subscription = params.string('subscription');
  const status = params.oneOf('status', ['open', 'complete', 'expired'] as const);
  const created = createdFilter(params);
  const sessions = core.store.list(
    'checkout.session',
    (session) =>
      (!paymentIntent || session.payment_intent === paymentIntent) &&
      (!subscription || session.subscription === subscription) &&
      (!status || session.status === status) &&
      created(session.created),
  );
  return paginate(sessions, params, '/v1/checkout/sessions');
}

function listInvoicePayments(core: EmulatorCore, { params }: ApiCall) {
  params.allowOnly(['limit', 'starting_after', 'ending_before', 'invoice', 'payment', 'status', 'expand']);
  const invoice = params.string('invoice');
  const paymentIntent = params.object('payment').string('payment_intent');
  const status = params.string('status');
  const payments = core.store.list(
    'invoice_payment',
    (payment) =>
      (!invoice || payment.invoice === invoice) &&
      (!paymentIntent || payment.payment.payment_intent === paymentIntent) &&
      (!status || payment.status === status),
  );
  return paginate(payments, params, '/v1/invoice_payments');
}

function listEvents(core: EmulatorCore, { params }: ApiCall) {
  params.allowOnly(['limit', 'starting_after', 'ending_before', 'created', 'type', 'types', 'expand']);
  const type = params.string('type');
  const types = params.strings('types');
  const created = createdFilter(params);
  const matchesType = (eventType: string) =>
    (!type || (type.endsWith('.*') ? eventType.startsWith(type.slice(0, -1)) : eventType === type)) &&
    (types.length === 0 || types.includes(eventType));
  const events = core.store.list('event', (event) => matchesType(event.type) && created(event.created));
  return paginate(events, params, '/v1/events');
}

/** The part of Stripe's REST API Goalpost calls (BRIEF "Emulator surface"). */
export function stripeApiRoutes(core: EmulatorCore): ApiRoute[] {
  return [
    route('post', '/v1/checkout/sessions', ({ params }) => createCheckoutSession(core, params)),
    route('get', '/v1/checkout/sessions', (call) => listSessions(core, call)),
    route('get', '/v1/checkout/sessions/:id', retrieve(core, 'checkout.session')),
    route('get', '/v1/checkout/sessions/:id/line_items', ({ params, path }) => {
      params.allowOnly(['limit', 'starting_after', 'ending_before', 'expand']);
      core.store.require('checkout.session', path.id!);
      const items = core.store.checkoutExtras.get(path.id!)?.lineItems ?? [];
      return paginate(items, params, `/v1/checkout/sessions/${path.id}/line_items`);
    }),
    route('post', '/v1/checkout/sessions/:id/expire', ({ params, path, origin }) => {
      params.allowOnly(['expand']);
      return expireCheckoutSession(core, path.id!, origin);
    }),
    route('get', '/v1/payment_intents/:id', retrieve(core, 'payment_intent')),
    route('get', '/v1/charges/:id', retrieve(core, 'charge')),
    route('get', '/v1/invoices/:id', retrieve(core, 'invoice')),
    route('get', '/v1/invoice_payments', (call) => listInvoicePayments(core, call)),
    route('get', '/v1/invoice_payments/:id', retrieve(core, 'invoice_payment')),
    route('get', '/v1/subscriptions/:id', retrieve(core, 'subscription')),
    route('post', '/v1/subscriptions/:id', ({ params, path, origin }) => updateSubscription(core, path.id!, params, origin)),
    route('post', '/v1/billing_portal/sessions', ({ params }) => createPortalSession(core, params)),
    route('delete', '/v1/subscriptions/:id', ({ params, path, origin }) => {
      params.allowOnly(['expand', 'invoice_now', 'prorate', 'cancellation_details']);
      return cancelSubscription(core, path.id!, origin);
    }),
    route('post', '/v1/refunds', ({ params, origin }) => createRefund(core, params, origin)),
    route('get', '/v1/refunds/:id', retrieve(core, 'refund')),
    route('get', '/v1/charges/:id/refunds', ({ params, path }) => {
      params.allowOnly(['limit', 'starting_after', 'ending_before', 'expand']);
      const charge = core.store.require('charge', path.id!);
      return paginate(charge.refunds?.data ?? [], params, `/v1/charges/${charge.id}/refunds`);
    }),
    route('get', '/v1/disputes/:id', retrieve(core, 'dispute')),
    route('get', '/v1/events', (call) => listEvents(core, call)),
    route('get', '/v1/events/:id', retrieve(core, 'event')),
  ];
}
