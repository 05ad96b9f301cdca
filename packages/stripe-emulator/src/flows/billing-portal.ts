import type Stripe from 'stripe';
import { buildPortalSession } from '../builders/billing-portal.js';
import type { EmulatorCore } from '../core.js';
import { invalidRequest, resourceMissing } from '../errors.js';
import { newId } from '../ids.js';
import type { Params } from '../params.js';
import { cancelSubscription } from './subscriptions.js';

/** The emulator's one portal configuration (Stripe's default one has an id like this). */
const CONFIGURATION = 'bpc_1GoalpostEmulatorPortal';

function readUrl(value: string | undefined, param: string): string | null {
  if (value === undefined) return null;
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return value;
  } catch {
    // reported below
  }
  throw invalidRequest('Not a valid URL', param, 'url_invalid');
}

/**
 * POST /v1/billing_portal/sessions: a short-lived page for one customer, optionally a deep link
 * to one flow (flow_data[type]=payment_method_update), returning to return_url.
 */
export function createPortalSession(core: EmulatorCore, params: Params): Stripe.BillingPortal.Session {
  params.allowOnly(['customer', 'return_url', 'flow_data', 'configuration', 'locale', 'expand']);
  const customer = params.requiredString('customer');
  if (!core.store.list('subscription', (subscription) => subscription.customer === customer).length) {
    throw resourceMissing('customer', customer, 'customer');
  }
  const returnUrl = readUrl(params.string('return_url'), 'return_url');
  const flowData = params.object('flow_data').allowOnly(['type', 'after_completion']);
  const flow = flowData.oneOf('type', ['payment_method_update'] as const) ?? null;
  if (params.has('flow_data') && !flow) throw invalidRequest('Missing required param: flow_data[type].', 'flow_data[type]', 'parameter_missing');
  const id = newId('bps');
  return core.store.insert(
    'billing_portal.session',
    buildPortalSession({ id, configuration: CONFIGURATION, created: core.now(), customer, returnUrl, url: `${core.publicUrl}/p/session/${id}`, flow }),
  );
}

/** The portal's "Update payment method": the customer's card works again (see failNextRenewal). */
export function updatePortalCard(core: EmulatorCore, session: Stripe.BillingPortal.Session): void {
  const customer = session.customer as string;
  core.store.decliningCustomers.delete(customer);
}

/** The portal's "Cancel subscription": only a subscription of the session's customer. */
export function cancelFromPortal(core: EmulatorCore, session: Stripe.BillingPortal.Session, subscriptionId: string): Stripe.Subscription {
  const subscription = core.store.require('subscription', subscriptionId);
  if (subscription.customer !== session.customer) throw resourceMissing('subscription', subscriptionId);
  return cancelSubscription(core, subscriptionId);
}
