import type Stripe from 'stripe';
import { EMPTY_ADDRESS } from './common.js';

export interface SessionInit {
  id: string;
  url: string;
  created: number;
  expiresAt: number;
  mode: 'payment' | 'subscription';
  submitType: Stripe.Checkout.Session.SubmitType | null;
  currency: string;
  amountTotal: number;
  successUrl: string | null;
  cancelUrl: string | null;
  customerEmail: string | null;
  clientReferenceId: string | null;
  locale?: Stripe.Checkout.Session.Locale | null;
  metadata: Record<string, string>;
}

/** An open Checkout Session as Stripe returns it from create (shape of fixtures3 "checkout.session"). */
export function buildCheckoutSession(init: SessionInit): Stripe.Checkout.Session {
  const payment = init.mode === 'payment';
  return {
    id: init.id,
    object: 'checkout.session',
    adaptive_pricing: { enabled: false },
    after_expiration: null,
    allow_promotion_codes: null,
    allowed_payment_method_types: null,
    amount_subtotal: init.amountTotal,
    amount_total: init.amountTotal,
    automatic_tax: { enabled: false, liability: null, provider: null, status: null },
    billing_address_collection: null,
    cancel_url: init.cancelUrl,
    client_reference_id: init.clientReferenceId,
    client_secret: null,
    collected_information: null,
    consent: null,
    consent_collection: null,
    created: init.created,
    currency: init.currency,
    currency_conversion: null,
    custom_fields: [],
    custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
    customer: null,
    customer_account: null,
    customer_creation: payment ? 'if_required' : null,
    customer_details: init.customerEmail
      ? { address: null, business_name: null, email: init.customerEmail, individual_name: null, name: null, phone: null, tax_exempt: 'none', tax_ids: null }
      : null,
    customer_email: init.customerEmail,
    discounts: [],
    expires_at: init.expiresAt,
    integration_identifier: null,
    invoice: null,
    invoice_creation: payment
      ? {
          enabled: false,
          invoice_data: {
            account_tax_ids: null,
            custom_fields: null,
            description: null,
            footer: null,
            issuer: null,
            metadata: {},
            rendering_options: null,
          },
        }
      : null,
    livemode: false,
    locale: init.locale ?? null,
    managed_payments: null,
    metadata: init.metadata,
    mode: init.mode,
    origin_context: null,
    payment_intent: null,
    payment_link: null,
    payment_method_collection: 'always',
    payment_method_configuration_details: null,
    payment_method_options: { card: { request_three_d_secure: 'automatic' } },
    payment_method_types: ['card'],
    payment_status: 'unpaid',
    permissions: null,
    phone_number_collection: { enabled: false },
    recovered_from: null,
    saved_payment_method_options: null,
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status: 'open',
    submit_type: init.submitType,
    subscription: null,
    success_url: init.successUrl,
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: 'hosted',
    url: init.url,
    wallet_options: null,
  };
}

/** What the donor typed on the hosted page, as Checkout records it. */
export function customerDetails(email: string, name: string | null): Stripe.Checkout.Session.CustomerDetails {
  return {
    address: { ...EMPTY_ADDRESS, country: 'US' },
    business_name: null,
    email,
    individual_name: null,
    name,
    phone: null,
    tax_exempt: 'none',
    tax_ids: [],
  };
}
