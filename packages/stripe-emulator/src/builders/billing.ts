import type Stripe from 'stripe';
import { decimal, list } from './common.js';
import { planOf } from './prices.js';

export interface SubscriptionInit {
  id: string;
  itemId: string;
  created: number;
  customer: string;
  price: Stripe.Price;
  periodStart: number;
  periodEnd: number;
  description: string | null;
  metadata: Record<string, string>;
  status: Stripe.Subscription.Status;
}

export function buildSubscription(init: SubscriptionInit): Stripe.Subscription {
  const item: Stripe.SubscriptionItem = {
    id: init.itemId,
    object: 'subscription_item',
    billing_thresholds: null,
    created: init.created,
    current_period_end: init.periodEnd,
    current_period_start: init.periodStart,
    current_trial: null,
    discounts: [],
    metadata: {},
    plan: planOf(init.price),
    price: init.price,
    quantity: 1,
    subscription: init.id,
    tax_rates: [],
  };
  return {
    id: init.id,
    object: 'subscription',
    application: null,
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: init.periodStart,
    billing_cycle_anchor_config: null,
    billing_mode: { flexible: null, type: 'classic' },
    billing_schedules: [],
    billing_thresholds: null,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: null,
    cancellation_details: { comment: null, feedback: null, feedback_option: null, reason: null },
    collection_method: 'charge_automatically',
    created: init.created,
    currency: init.price.currency,
    customer: init.customer,
    customer_account: null,
    days_until_due: null,
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: init.description,
    discounts: [],
    ended_at: null,
    invoice_settings: { account_tax_ids: null, custom_fields: null, description: null, footer: null, issuer: { type: 'self' } },
    items: list([item], `/v1/subscription_items?subscription=${init.id}`),
    latest_invoice: null,
    livemode: false,
    managed_payments: null,
    metadata: init.metadata,
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: { payment_method_options: null, payment_method_types: null, save_default_payment_method: 'off' },
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: init.created,
    status: init.status,
    test_clock: null,
    transfer_data: null,
    trial_end: null,
    trial_settings: { end_behavior: { billing_cycle_anchor: null, missing_payment_method: 'create_invoice' } },
    trial_start: null,
  };
}

export interface InvoiceInit {
  id: string;
  lineId: string;
  created: number;
  subscription: Stripe.Subscription;
  billingReason: 'subscription_create' | 'subscription_cycle';
  customerEmail: string | null;
  customerName: string | null;
  number: string;
}

/**
 * A subscription invoice in the SDK's (basil and later) shape: no `invoice.subscription` and no
 * `invoice.payment_intent`; the subscription is under `parent.subscription_details` (with a
 * snapshot of its metadata) and payments are separate `invoice_payment` objects.
 */
export function buildInvoice(init: InvoiceInit): Stripe.Invoice {
  const item = init.subscription.items.data[0]!;
  const amount = item.price.unit_amount ?? 0;
  const period = { start: item.current_period_start, end: item.current_period_end };
  const line: Stripe.InvoiceLineItem = {
    id: init.lineId,
    object: 'line_item',
    amount,
    currency: item.price.currency,
    description: `1 × ${init.subscription.description ?? 'Donation'} (at ${amount} / month)`,
    discount_amounts: [],
    discountable: true,
    discounts: [],
    invoice: init.id,
    livemode: false,
    metadata: init.subscription.metadata,
    parent: {
      invoice_item_details: null,
      subscription_item_details: {
        invoice_item: null,
        proration: false,
        proration_details: { credited_items: null },
        subscription: init.subscription.id,
        subscription_item: item.id,
      },
      type: 'subscription_item_details',
    },
    period,
    pretax_credit_amounts: [],
    pricing: { price_details: { price: item.price.id, product: item.price.product as string }, type: 'price_details', unit_amount_decimal: decimal(amount) },
    quantity: 1,
    quantity_decimal: decimal(1),
    subscription: init.subscription.id,
    subtotal: amount,
    taxes: [],
  };
  return {
    id: init.id,
    object: 'invoice',
    account_country: 'US',
    account_name: 'Goalpost (Stripe emulator)',
    account_tax_ids: null,
    amount_due: amount,
    amount_overpaid: 0,
    amount_paid: 0,
    amount_remaining: amount,
    amount_shipping: 0,
    application: null,
    attempt_count: 0,
    attempted: false,
    auto_advance: true,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
    automatically_finalizes_at: null,
    billing_reason: init.billingReason,
    collection_method: 'charge_automatically',
    created: init.created,
    currency: item.price.currency,
    custom_fields: null,
    customer: init.subscription.customer as string,
    customer_account: null,
    customer_address: null,
    customer_email: init.customerEmail,
    customer_name: init.customerName,
    customer_phone: null,
    customer_shipping: null,
    customer_tax_exempt: 'none',
    customer_tax_ids: [],
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    due_date: null,
    effective_at: null,
    ending_balance: null,
    footer: null,
    from_invoice: null,
    hosted_invoice_url: null,
    invoice_pdf: null,
    issuer: { type: 'self' },
    last_finalization_error: null,
    latest_revision: null,
    lines: list([line], `/v1/invoices/${init.id}/lines`),
    livemode: false,
    metadata: {},
    next_payment_attempt: null,
    number: null,
    on_behalf_of: null,
    parent: {
      quote_details: null,
      subscription_details: { metadata: { ...init.subscription.metadata }, subscription: init.subscription.id },
      type: 'subscription_details',
    },
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    // Stripe's window for pending invoice items; for these invoices it collapses to the period start.
    period_end: period.start,
    period_start: period.start,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: null,
    shipping_cost: null,
    shipping_details: null,
    starting_balance: 0,
    statement_descriptor: null,
    status: 'draft',
    status_transitions: { finalized_at: null, marked_uncollectible_at: null, paid_at: null, voided_at: null },
    subtotal: amount,
    subtotal_excluding_tax: amount,
    test_clock: null,
    total: amount,
    total_discount_amounts: [],
    total_excluding_tax: amount,
    total_pretax_credit_amounts: [],
    total_taxes: [],
    webhooks_delivered_at: null,
  };
}

/** Finalizing gives the invoice its number and opens it for payment. */
export function finalizeInvoice(invoice: Stripe.Invoice, number: string, at: number): void {
  invoice.status = 'open';
  invoice.number = number;
  invoice.effective_at = at;
  invoice.status_transitions.finalized_at = at;
  invoice.hosted_invoice_url = `https://invoice.stripe.com/i/emulated/${invoice.id}`;
  invoice.invoice_pdf = `https://pay.stripe.com/invoice/emulated/${invoice.id}/pdf`;
}

export function buildInvoicePayment(id: string, invoice: Stripe.Invoice, paymentIntentId: string, created: number): Stripe.InvoicePayment {
  return {
    id,
    object: 'invoice_payment',
    amount_paid: null,
    amount_requested: invoice.amount_due,
    created,
    currency: invoice.currency,
    invoice: invoice.id,
    is_default: true,
    livemode: false,
    payment: { payment_intent: paymentIntentId, type: 'payment_intent' },
    status: 'open',
    status_transitions: { canceled_at: null, paid_at: null },
  };
}

