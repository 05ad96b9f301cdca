import Stripe from 'stripe';

/** The API version the installed SDK pins; objects and events are rendered in it. */
export const API_VERSION: string = Stripe.API_VERSION;

export const EMPTY_ADDRESS: Stripe.Address = {
  city: null,
  country: null,
  line1: null,
  line2: null,
  postal_code: null,
  state: null,
};

/**
 * On the wire Stripe sends decimals as strings ("2500"); the SDK's type is the parsed form, so
 * the string is cast once here.
 */
export function decimal(value: number): Stripe.Decimal {
  return String(value) as unknown as Stripe.Decimal;
}

export function list<T>(data: T[], url: string): Stripe.ApiList<T> {
  return { object: 'list', data, has_more: false, url };
}
