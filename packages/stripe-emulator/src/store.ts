import type Stripe from 'stripe';
import { resourceMissing } from './errors.js';

export interface ObjectKinds {
  'checkout.session': Stripe.Checkout.Session;
  payment_intent: Stripe.PaymentIntent;
  charge: Stripe.Charge;
  invoice: Stripe.Invoice;
  invoice_payment: Stripe.InvoicePayment;
  subscription: Stripe.Subscription;
  refund: Stripe.Refund;
  dispute: Stripe.Dispute;
  event: Stripe.Event;
  'billing_portal.session': Stripe.BillingPortal.Session;
}
export type Kind = keyof ObjectKinds;

/** How Stripe names each kind in "No such …" errors. */
const ERROR_NAMES: Record<Kind, string> = {
  'checkout.session': 'checkout session',
  payment_intent: 'payment_intent',
  charge: 'charge',
  invoice: 'invoice',
  invoice_payment: 'invoice_payment',
  subscription: 'subscription',
  refund: 'refund',
  dispute: 'dispute',
  event: 'event',
  'billing_portal.session': 'billing portal session',
};

/** What a session needs at payment time that Stripe keeps internally rather than on the session. */
export interface CheckoutExtras {
  lineItems: Stripe.LineItem[];
  paymentIntentData: { metadata: Record<string, string>; description: string | null };
  subscriptionData: { metadata: Record<string, string>; description: string | null };
  /** Set when a delayed (bank debit) payment was started on the hosted page. */
  delayed: boolean;
}

/**
 * Every object the emulator holds, in memory. Objects are mutated in place as Stripe's are;
 * events keep their own deep copies.
 */
export class EmulatorStore {
  private readonly byId = new Map<string, { kind: Kind; object: ObjectKinds[Kind] }>();
  private readonly order = new Map<Kind, string[]>();
  readonly checkoutExtras = new Map<string, CheckoutExtras>();
  /** Customers whose card declines (the failNextRenewal control) until they update it. */
  readonly decliningCustomers = new Set<string>();
  private invoiceNumber = 0;

  insert<K extends Kind>(kind: K, object: ObjectKinds[K]): ObjectKinds[K] {
    this.byId.set(object.id, { kind, object });
    const ids = this.order.get(kind) ?? [];
    ids.push(object.id);
    this.order.set(kind, ids);
    return object;
  }

  get<K extends Kind>(kind: K, id: string): ObjectKinds[K] | undefined {
    const entry = this.byId.get(id);
    return entry?.kind === kind ? (entry.object as ObjectKinds[K]) : undefined;
  }

  /** The object or Stripe's 404 `resource_missing`. */
  require<K extends Kind>(kind: K, id: string, param = 'id'): ObjectKinds[K] {
    const object = this.get(kind, id);
    if (!object) throw resourceMissing(ERROR_NAMES[kind], id, param);
    return object;
  }

  /** Any object by id, for `expand[]`. */
  find(id: string): ObjectKinds[Kind] | undefined {
    return this.byId.get(id)?.object;
  }

  /** Newest first, as Stripe lists. */
  list<K extends Kind>(kind: K, filter: (object: ObjectKinds[K]) => boolean = () => true): ObjectKinds[K][] {
    const ids = this.order.get(kind) ?? [];
    const objects: ObjectKinds[K][] = [];
    for (let index = ids.length - 1; index >= 0; index--) {
      const object = this.byId.get(ids[index]!)!.object as ObjectKinds[K];
      if (filter(object)) objects.push(object);
    }
    return objects;
  }

  nextInvoiceNumber(): string {
    this.invoiceNumber += 1;
    return `GOALPOST-${String(this.invoiceNumber).padStart(4, '0')}`;
  }
}
