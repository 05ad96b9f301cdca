import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Stripe from 'stripe';
import { TEST_WEBHOOK_SECRET, type TestService } from '../helpers/service.js';
import { newCampaign } from '../helpers/builders.js';
import { readDeploymentId } from '../../src/db/deployment.js';

/**
 * Stripe events for the ledger tests, built from Stripe's own API fixtures (fixtures3.json;
 * the objects used are copied next to this file) with the ids, amounts, times and metadata of
 * a scenario, signed like Stripe signs them, and posted to the real webhook route.
 */
const fixtures = JSON.parse(readFileSync(new URL('./stripe-fixtures.json', import.meta.url), 'utf8')).resources as Record<string, unknown>;

function fixture<T>(name: string): T {
  return structuredClone(fixtures[name]) as T;
}

const signer = new Stripe('sk_test_goalpost_ledger_tests');
export const WEBHOOK_SECRET = TEST_WEBHOOK_SECRET;

export const uid = (prefix: string) => `${prefix}_${randomBytes(9).toString('hex')}`;
export const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

export interface StripeEventBody {
  id: string;
  object: 'event';
  type: string;
  created: number;
  api_version: string;
  livemode: boolean;
  pending_webhooks: number;
  request: { id: null; idempotency_key: null };
  data: { object: unknown };
}

export function stripeEvent(type: string, object: unknown, options: { id?: string; created?: Date } = {}): StripeEventBody {
  return {
    id: options.id ?? uid('evt'),
    object: 'event',
    type,
    created: seconds(options.created ?? new Date()),
    api_version: '2026-10-28.endive',
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    data: { object },
  };
}

/** The same event again under a new id: Stripe sometimes sends two events for one change. */
export function twin(event: StripeEventBody): StripeEventBody {
  return { ...structuredClone(event), id: uid('evt') };
}

export function signature(payload: string, options: { secret?: string; timestamp?: number } = {}): string {
  return signer.webhooks.generateTestHeaderString({
    payload,
    secret: options.secret ?? WEBHOOK_SECRET,
    timestamp: options.timestamp ?? Math.floor(Date.now() / 1000),
  });
}

export async function postEvent(service: Pick<TestService, 'api'>, event: StripeEventBody, options: { secret?: string } = {}) {
  const payload = JSON.stringify(event);
  return service.api
    .post('/v1/webhooks/stripe')
    .set('Content-Type', 'application/json')
    .set('Stripe-Signature', signature(payload, options))
    .send(payload);
}

/** Posts and insists on 200: what Stripe needs to stop retrying. */
export async function deliver(service: Pick<TestService, 'api'>, ...events: StripeEventBody[]): Promise<void> {
  for (const event of events) {
    const response = await postEvent(service, event);
    if (response.status !== 200) throw new Error(`webhook answered ${response.status}: ${response.text}`);
  }
}

const FINISHED = ['processed', 'ignored', 'deferred', 'failed'];

/** Waits until the workers finished every given event (processed, ignored, deferred or failed). */
export async function settled(service: Pick<TestService, 'ctx'>, eventIds: string[], timeoutMs = 15_000): Promise<Map<string, string>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await service.ctx.db.query<{ id: string; status: string }>(
      'SELECT id, status FROM stripe_events WHERE id = ANY($1)',
      [eventIds],
    );
    const statuses = new Map(rows.map((row) => [row.id, row.status]));
    if (eventIds.every((id) => FINISHED.includes(statuses.get(id) ?? ''))) return statuses;
    if (Date.now() > deadline) {
      const unfinished = eventIds.filter((id) => !FINISHED.includes(statuses.get(id) ?? ''));
      const { rows: details } = await service.ctx.db.query(
        'SELECT id, type, status, attempts, started_at, note, last_error FROM stripe_events WHERE id = ANY($1)',
        [unfinished],
      );
      throw new Error(`events not finished: ${JSON.stringify(details.length ? details : unfinished)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Delivers events one after another and waits for all of them. */
export async function deliverAndSettle(service: TestService, ...events: StripeEventBody[]): Promise<Map<string, string>> {
  await deliver(service, ...events);
  return settled(service, events.map((event) => event.id));
}

/**
 * Moments 1..`count` of the month that began at `monthStart` (in the past), whole seconds apart,
 * in order, and none later than now: spread over what has passed of the month, at most a minute
 * apart. In the month's first seconds it waits until there is room, so a test run at any time of
 * any month never dates an event ahead of the service's clock.
 */
export async function momentsSoFar(monthStart: Date, count: number): Promise<(k: number) => Date> {
  const room = monthStart.getTime() + (count + 1) * 1_000 - Date.now();
  if (room > 0) await new Promise((resolve) => setTimeout(resolve, room));
  const step = Math.min(60_000, Math.floor((Date.now() - monthStart.getTime()) / (count + 1) / 1_000) * 1_000);
  return (k) => {
    if (!Number.isInteger(k) || k < 1 || k > count) throw new Error(`moment ${k} is not one of 1..${count}`);
    return new Date(monthStart.getTime() + k * step);
  };
}

// ---------------------------------------------------------------------------------------------
// Campaigns and payments

export interface LedgerCampaign {
  id: number;
  slug: string;
  currency: string;
  timezone: string;
  /** The deployment the test service is (its checkout puts this into Stripe metadata). */
  deploymentId: string;
}

export async function ledgerCampaign(service: TestService, overrides: Record<string, unknown> = {}): Promise<LedgerCampaign> {
  const body = await newCampaign(service, overrides);
  const { rows } = await service.ctx.db.query<{ id: number }>('SELECT id FROM campaigns WHERE slug = $1', [body.slug]);
  const deploymentId = await readDeploymentId(service.ctx.db);
  return { id: rows[0]!.id, slug: body.slug, currency: body.currency, timezone: body.timezone, deploymentId };
}

export interface Donor {
  email: string | null;
  name: string | null;
  anonymous: boolean;
  message?: string | null;
}

export const someDonor = (overrides: Partial<Donor> = {}): Donor => ({
  email: `${uid('donor')}@example.org`,
  name: 'Grace Hopper',
  anonymous: false,
  message: null,
  ...overrides,
});

function goalpostMetadata(campaign: LedgerCampaign, frequency: 'one_time' | 'monthly', amount: number, fee: number) {
  return {
    goalpost_campaign_id: String(campaign.id),
    goalpost_campaign: campaign.slug,
    goalpost_frequency: frequency,
    goalpost_amount: String(amount),
    goalpost_fee_amount: String(fee),
    goalpost_deployment: campaign.deploymentId,
  };
}

/** The row the checkout route writes when it creates a session (what the donor asked for). */
export async function recordCheckout(
  service: Pick<TestService, 'ctx'>,
  payment: { sessionId: string; campaign: LedgerCampaign; frequency: 'one_time' | 'monthly'; amount: number; fee: number; donor: Donor; currency?: string },
): Promise<void> {
  await service.ctx.db.query(
    `INSERT INTO checkouts (session_id, campaign_id, frequency, amount, fee_amount, currency, donor_email, donor_name,
       anonymous, message, url, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now() + interval '1 day')`,
    [
      payment.sessionId, payment.campaign.id, payment.frequency, payment.amount, payment.fee,
      payment.currency ?? payment.campaign.currency, payment.donor.email, payment.donor.name, payment.donor.anonymous,
      payment.donor.message ?? null, `https://checkout.example/${payment.sessionId}`,
    ],
  );
}

export interface RefundSpec {
  id: string;
  amount: number;
  created: number;
  status: 'succeeded' | 'failed' | 'canceled';
}

/** A one-time donation through Checkout, and every event Stripe sends about it. */
export class OneTimePayment {
  readonly sessionId = uid('cs_test');
  readonly paymentIntentId = uid('pi');
  readonly chargeId = uid('ch');
  readonly disputeId = uid('dp');
  private readonly refunds: RefundSpec[] = [];

  constructor(
    readonly campaign: LedgerCampaign,
    readonly amount: number,
    readonly fee = 0,
    readonly donor: Donor = someDonor(),
  ) {}

  get total(): number {
    return this.amount + this.fee;
  }

  async record(service: Pick<TestService, 'ctx'>, currency?: string): Promise<this> {
    await recordCheckout(service, { ...this, frequency: 'one_time', currency });
    return this;
  }

  session(paymentStatus: 'paid' | 'unpaid', status: 'complete' | 'expired' = 'complete'): Stripe.Checkout.Session {
    const session = fixture<Stripe.Checkout.Session>('checkout.session');
    return {
      ...session,
      id: this.sessionId,
      mode: 'payment',
      status,
      payment_status: paymentStatus,
      payment_intent: status === 'expired' ? null : this.paymentIntentId,
      subscription: null,
      invoice: null,
      currency: this.campaign.currency,
      amount_subtotal: this.total,
      amount_total: this.total,
      customer_details: session.customer_details && { ...session.customer_details, email: this.donor.email, name: this.donor.name },
      metadata: goalpostMetadata(this.campaign, 'one_time', this.amount, this.fee),
    };
  }

  completed(at = new Date(), paymentStatus: 'paid' | 'unpaid' = 'paid'): StripeEventBody {
    return stripeEvent('checkout.session.completed', this.session(paymentStatus), { created: at });
  }

  asyncSucceeded(at = new Date()): StripeEventBody {
    return stripeEvent('checkout.session.async_payment_succeeded', this.session('paid'), { created: at });
  }

  asyncFailed(at = new Date()): StripeEventBody {
    return stripeEvent('checkout.session.async_payment_failed', this.session('unpaid'), { created: at });
  }

  expired(at = new Date()): StripeEventBody {
    return stripeEvent('checkout.session.expired', this.session('unpaid', 'expired'), { created: at });
  }

  charge(): Stripe.Charge {
    const charge = fixture<Stripe.Charge>('charge');
    // Stripe's running total drops again when a refund fails or is canceled.
    const refunded = this.refunds.filter((refund) => refund.status === 'succeeded').reduce((sum, refund) => sum + refund.amount, 0);
    return {
      ...charge,
      id: this.chargeId,
      amount: this.total,
      amount_captured: this.total,
      amount_refunded: refunded,
      refunded: refunded === this.total,
      captured: true,
      currency: this.campaign.currency,
      payment_intent: this.paymentIntentId,
      metadata: goalpostMetadata(this.campaign, 'one_time', this.amount, this.fee),
      refunds: {
        object: 'list',
        has_more: false,
        url: `/v1/charges/${this.chargeId}/refunds`,
        data: this.refunds.map((spec) => this.refundObject(spec)),
      },
    };
  }

  chargeSucceeded(at = new Date()): StripeEventBody {
    return stripeEvent('charge.succeeded', this.charge(), { created: at });
  }

  /**
   * Refunds `amount` more and returns charge.refunded as Stripe sends it: the cumulative
   * amount_refunded, and the refunds list unless `withList` is false (newer API versions leave
   * it out).
   */
  refund(amount: number, options: { at?: Date; withList?: boolean } = {}): StripeEventBody {
    const at = options.at ?? new Date();
    this.refunds.push({ id: uid('re'), amount, created: seconds(at) + this.refunds.length, status: 'succeeded' });
    const charge = this.charge();
    if (options.withList === false) charge.refunds = null;
    return stripeEvent('charge.refunded', charge, { created: at });
  }

  private refundObject(spec: RefundSpec): Stripe.Refund {
    return {
      ...fixture<Stripe.Refund>('refund'),
      id: spec.id,
      amount: spec.amount,
      created: spec.created,
      status: spec.status,
      charge: this.chargeId,
      payment_intent: this.paymentIntentId,
      currency: this.campaign.currency,
    };
  }

  /** The k-th refund's own event (refund.created, refund.updated, refund.failed, charge.refund.updated), as it stands. */
  refundEvent(k: number, type: string, at = new Date()): StripeEventBody {
    return stripeEvent(type, this.refundObject(this.refunds[k]!), { created: at });
  }

  /** The k-th refund fails (the bank returned it) or is canceled: its event; charge() no longer counts it. */
  refundEnds(k: number, status: 'failed' | 'canceled', type = status === 'failed' ? 'refund.failed' : 'charge.refund.updated'): StripeEventBody {
    this.refunds[k]!.status = status;
    return this.refundEvent(k, type);
  }

  dispute(kind: 'created' | 'closed', options: { status?: 'won' | 'lost'; amount?: number; at?: Date } = {}): StripeEventBody {
    const dispute: Stripe.Dispute = {
      ...fixture<Stripe.Dispute>('dispute'),
      id: this.disputeId,
      amount: options.amount ?? this.total,
      charge: this.chargeId,
      payment_intent: this.paymentIntentId,
      currency: this.campaign.currency,
      status: kind === 'created' ? 'needs_response' : (options.status ?? 'lost'),
    };
    return stripeEvent(`charge.dispute.${kind}`, dispute, { created: options.at });
  }
}

/** A monthly donation: its checkout, subscription and each month's invoice. */
export class MonthlyPayment {
  readonly sessionId = uid('cs_test');
  /** The amount and covered fee in force now (changeAmount). */
  terms: { amount: number; fee: number };
  readonly subscriptionId = uid('sub');
  readonly invoices: { invoiceId: string; paymentIntentId: string; chargeId: string }[] = [];

  constructor(
    readonly campaign: LedgerCampaign,
    readonly amount: number,
    readonly fee = 0,
    readonly donor: Donor = someDonor(),
  ) {
    this.terms = { amount, fee };
    this.invoice(0);
  }

  get total(): number {
    return this.amount + this.fee;
  }

  async record(service: Pick<TestService, 'ctx'>): Promise<this> {
    await recordCheckout(service, { ...this, frequency: 'monthly' });
    return this;
  }

  /** The k-th invoice (0 is the checkout's own). */
  invoice(k: number) {
    while (this.invoices.length <= k) this.invoices.push({ invoiceId: uid('in'), paymentIntentId: uid('pi'), chargeId: uid('ch') });
    return this.invoices[k]!;
  }

  private metadata() {
    return goalpostMetadata(this.campaign, 'monthly', this.amount, this.fee);
  }

  completed(at = new Date(), paymentStatus: 'paid' | 'unpaid' = 'paid'): StripeEventBody {
    const session = fixture<Stripe.Checkout.Session>('checkout.session');
    return stripeEvent(
      'checkout.session.completed',
      {
        ...session,
        id: this.sessionId,
        mode: 'subscription',
        status: 'complete',
        payment_status: paymentStatus,
        payment_intent: null,
        subscription: this.subscriptionId,
        invoice: this.invoice(0).invoiceId,
        currency: this.campaign.currency,
        amount_total: this.total,
        customer_details: session.customer_details && { ...session.customer_details, email: this.donor.email },
        metadata: this.metadata(),
      } satisfies Stripe.Checkout.Session,
      { created: at },
    );
  }

  /** Changes the monthly amount from the next invoice on, as Goalpost's own update does (price and metadata). */
  changeAmount(amount: number, fee = this.terms.fee): void {
    this.terms = { amount, fee };
  }

  private termsMetadata() {
    return goalpostMetadata(this.campaign, 'monthly', this.terms.amount, this.terms.fee);
  }

  /** The k-th invoice as Stripe sends it: made under the terms in force now (Stripe copies the subscription's metadata). */
  private invoiceObject(k: number, changes: Partial<Stripe.Invoice>): Stripe.Invoice {
    const invoice = fixture<Stripe.Invoice>('invoice');
    const charged = this.terms.amount + this.terms.fee;
    return {
      ...invoice,
      id: this.invoice(k).invoiceId,
      billing_reason: k === 0 ? 'subscription_create' : 'subscription_cycle',
      currency: this.campaign.currency,
      amount_due: charged,
      amount_paid: 0,
      amount_remaining: charged,
      total: charged,
      subtotal: charged,
      customer_email: this.donor.email,
      parent: {
        type: 'subscription_details',
        quote_details: null,
        subscription_details: { subscription: this.subscriptionId, metadata: this.termsMetadata() },
      },
      ...changes,
    };
  }

  paid(k: number, paidAt = new Date(), type: 'invoice.paid' | 'invoice.payment_succeeded' = 'invoice.paid'): StripeEventBody {
    const charged = this.terms.amount + this.terms.fee;
    const invoice = this.invoiceObject(k, {});
    return stripeEvent(
      type,
      {
        ...invoice,
        status: 'paid',
        amount_paid: charged,
        amount_remaining: 0,
        status_transitions: { ...invoice.status_transitions, paid_at: seconds(paidAt) },
      } satisfies Stripe.Invoice,
      { created: paidAt },
    );
  }

  /** invoice.payment_failed for the k-th invoice: Stripe's `attempt`-th try, the next one `retryAfterHours` later. */
  failed(k: number, attempt: number, at = new Date(), retryAfterHours: number | null = 72): StripeEventBody {
    return stripeEvent(
      'invoice.payment_failed',
      this.invoiceObject(k, {
        status: 'open',
        attempted: true,
        attempt_count: attempt,
        next_payment_attempt: retryAfterHours === null ? null : seconds(at) + retryAfterHours * 3600,
      }),
      { created: at },
    );
  }

  /** The subscription as customer.subscription.* events carry it. */
  subscription(status: Stripe.Subscription.Status, options: { paused?: boolean; periodEnd?: Date; canceledAt?: Date } = {}): Stripe.Subscription {
    const base = fixture<Stripe.Subscription>('subscription');
    const item = base.items.data[0]!;
    const periodEnd = options.periodEnd ?? new Date(Date.now() + 30 * 24 * 3600_000);
    return {
      ...base,
      id: this.subscriptionId,
      status,
      currency: this.campaign.currency,
      start_date: base.created,
      canceled_at: options.canceledAt ? seconds(options.canceledAt) : null,
      ended_at: options.canceledAt ? seconds(options.canceledAt) : null,
      pause_collection: options.paused ? { behavior: 'void', resumes_at: null } : null,
      metadata: this.termsMetadata(),
      items: {
        ...base.items,
        data: [
          {
            ...item,
            subscription: this.subscriptionId,
            quantity: 1,
            current_period_end: seconds(periodEnd),
            price: { ...item.price, currency: this.campaign.currency, unit_amount: this.terms.amount + this.terms.fee },
          },
        ],
      },
    };
  }

  updated(at = new Date(), options: { status?: Stripe.Subscription.Status; paused?: boolean; periodEnd?: Date } = {}): StripeEventBody {
    return stripeEvent('customer.subscription.updated', this.subscription(options.status ?? 'active', options), { created: at });
  }

  created(at = new Date()): StripeEventBody {
    return stripeEvent('customer.subscription.created', this.subscription('active'), { created: at });
  }

  invoicePayment(k: number, at = new Date()): StripeEventBody {
    const { invoiceId, paymentIntentId } = this.invoice(k);
    return stripeEvent(
      'invoice_payment.paid',
      {
        ...fixture<Stripe.InvoicePayment>('invoice_payment'),
        id: uid('inpay'),
        invoice: invoiceId,
        amount_paid: this.total,
        amount_requested: this.total,
        currency: this.campaign.currency,
        status: 'paid',
        payment: { type: 'payment_intent', payment_intent: paymentIntentId },
      } satisfies Stripe.InvoicePayment,
      { created: at },
    );
  }

  /** charge.refunded for the k-th invoice's charge (no metadata: Stripe copies none to it). */
  refunded(k: number, cumulative: number, at = new Date()): StripeEventBody {
    const { paymentIntentId, chargeId } = this.invoice(k);
    return stripeEvent(
      'charge.refunded',
      {
        ...fixture<Stripe.Charge>('charge'),
        id: chargeId,
        amount: this.total,
        amount_refunded: cumulative,
        currency: this.campaign.currency,
        payment_intent: paymentIntentId,
        metadata: {},
        refunds: null,
      } satisfies Stripe.Charge,
      { created: at },
    );
  }

  deleted(at = new Date()): StripeEventBody {
    return stripeEvent('customer.subscription.deleted', this.subscription('canceled', { canceledAt: at }), { created: at });
  }
}

// ---------------------------------------------------------------------------------------------
// Reading the results

export interface PeriodFigures {
  raised: number;
  refunded: number;
  disputed: number;
  donations_count: number;
  donors_count: number;
}

export async function periodFigures(service: Pick<TestService, 'ctx'>, campaignId: number, periodKey: string): Promise<PeriodFigures> {
  const { rows } = await service.ctx.db.query<PeriodFigures>(
    `SELECT raised, refunded, disputed, donations_count, donors_count FROM campaign_periods
     WHERE campaign_id = $1 AND period_key = $2`,
    [campaignId, periodKey],
  );
  return rows[0] ?? { raised: 0, refunded: 0, disputed: 0, donations_count: 0, donors_count: 0 };
}

export async function donationOf(service: Pick<TestService, 'ctx'>, where: { sessionId?: string; invoiceId?: string }) {
  const { rows } = await service.ctx.db.query(
    `SELECT * FROM donations WHERE ($1::text IS NOT NULL AND checkout_session_id = $1) OR ($2::text IS NOT NULL AND invoice_id = $2)`,
    [where.sessionId ?? null, where.invoiceId ?? null],
  );
  return rows[0] ?? null;
}

export async function ledgerOf(service: Pick<TestService, 'ctx'>, donationId: string) {
  const { rows } = await service.ctx.db.query<{ kind: string; amount: number; source_id: string; period_key: string }>(
    'SELECT kind, amount, source_id, period_key FROM ledger_entries WHERE donation_id = $1 ORDER BY id',
    [donationId],
  );
  return rows;
}

export async function consumerEvents(service: Pick<TestService, 'ctx'>, type: string, match: string) {
  const { rows } = await service.ctx.db.query<{ payload: { type: string; data: Record<string, any> } }>(
    `SELECT payload FROM webhook_events WHERE type = $1 AND payload::text LIKE $2 ORDER BY created_at`,
    [type, `%${match}%`],
  );
  return rows.map((row) => row.payload.data);
}
