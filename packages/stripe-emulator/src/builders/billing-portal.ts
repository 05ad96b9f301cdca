import type Stripe from 'stripe';

export interface PortalSessionInit {
  id: string;
  configuration: string;
  created: number;
  customer: string;
  returnUrl: string | null;
  url: string;
  flow: 'payment_method_update' | null;
}

/** A Billing Portal session as POST /v1/billing_portal/sessions returns it. */
export function buildPortalSession(init: PortalSessionInit): Stripe.BillingPortal.Session {
  return {
    id: init.id,
    object: 'billing_portal.session',
    configuration: init.configuration,
    created: init.created,
    customer: init.customer,
    customer_account: null,
    flow: init.flow
      ? {
          after_completion: init.returnUrl
            ? { hosted_confirmation: null, redirect: { return_url: init.returnUrl }, type: 'redirect' }
            : { hosted_confirmation: { custom_message: null }, redirect: null, type: 'hosted_confirmation' },
          customer_update: null,
          subscription_cancel: null,
          subscription_pause: null,
          subscription_update: null,
          subscription_update_confirm: null,
          type: init.flow,
        }
      : null,
    livemode: false,
    locale: null,
    on_behalf_of: null,
    return_url: init.returnUrl,
    url: init.url,
  };
}
