import type Stripe from 'stripe';
import { decimal } from './common.js';

export interface PriceInit {
  id: string;
  productId: string;
  created: number;
  currency: string;
  unitAmount: number;
  interval: Stripe.Price.Recurring.Interval | null;
  intervalCount: number;
}

/** The ad-hoc price Checkout creates from `price_data` (inactive, like Stripe's). */
export function buildPrice(init: PriceInit): Stripe.Price {
  return {
    id: init.id,
    object: 'price',
    active: false,
    billing_scheme: 'per_unit',
    created: init.created,
    currency: init.currency,
    custom_unit_amount: null,
    livemode: false,
    lookup_key: null,
    metadata: {},
    nickname: null,
    product: init.productId,
    recurring: init.interval
      ? { interval: init.interval, interval_count: init.intervalCount, meter: null, trial_period_days: null, usage_type: 'licensed' }
      : null,
    tax_behavior: 'unspecified',
    tiers_mode: null,
    transform_quantity: null,
    type: init.interval ? 'recurring' : 'one_time',
    unit_amount: init.unitAmount,
    unit_amount_decimal: decimal(init.unitAmount),
  };
}

/** Subscription items still carry the legacy `plan` twin of their price. */
export function planOf(price: Stripe.Price): Stripe.Plan {
  return {
    id: price.id,
    object: 'plan',
    active: price.active,
    amount: price.unit_amount,
    amount_decimal: price.unit_amount_decimal,
    billing_scheme: 'per_unit',
    created: price.created,
    currency: price.currency,
    interval: price.recurring?.interval ?? 'month',
    interval_count: price.recurring?.interval_count ?? 1,
    livemode: false,
    metadata: {},
    meter: null,
    nickname: null,
    product: price.product as string,
    tiers_mode: null,
    transform_usage: null,
    trial_period_days: null,
    usage_type: 'licensed',
  };
}

export function buildLineItem(id: string, price: Stripe.Price, quantity: number, description: string): Stripe.LineItem {
  const amount = (price.unit_amount ?? 0) * quantity;
  return {
    id,
    object: 'item',
    adjustable_quantity: null,
    amount_discount: 0,
    amount_subtotal: amount,
    amount_tax: 0,
    amount_total: amount,
    currency: price.currency,
    description,
    metadata: {},
    price,
    quantity,
  };
}
