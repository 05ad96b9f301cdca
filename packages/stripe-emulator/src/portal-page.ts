import express, { Router } from 'express';
import type Stripe from 'stripe';
import { formatMoney } from './currencies.js';
import type { EmulatorCore } from './core.js';
import { StripeApiError } from './errors.js';
import { cancelFromPortal, updatePortalCard } from './flows/billing-portal.js';
import { escapeHtml, layout } from './page.js';

/** Billing Portal sessions last five minutes on Stripe; the emulator is lenient (an hour). */
const SESSION_LIFETIME_SECONDS = 3600;

function subscriptionRow(subscription: Stripe.Subscription): string {
  const price = subscription.items.data[0]!.price;
  const amount = formatMoney({ amount: price.unit_amount ?? 0, currency: subscription.currency });
  const cancel =
    subscription.status === 'canceled'
      ? '<p>Canceled.</p>'
      : `<form method="post"><input type="hidden" name="subscription" value="${escapeHtml(subscription.id)}">
<button class="secondary" name="action" value="cancel">Cancel this subscription</button></form>`;
  return `<section><p><strong>${escapeHtml(subscription.description ?? 'Subscription')}</strong><br>${escapeHtml(amount)} per month · ${escapeHtml(subscription.status)}</p>${cancel}</section>`;
}

function portalPage(core: EmulatorCore, session: Stripe.BillingPortal.Session, notice?: string): string {
  const subscriptions = core.store.list('subscription', (subscription) => subscription.customer === session.customer);
  const back = session.return_url ? `<p><a href="${escapeHtml(session.return_url)}">Return</a></p>` : '';
  return layout(
    'Billing portal',
    `<h1>Billing</h1>
${notice ? `<p role="status">${escapeHtml(notice)}</p>` : ''}
<h2>Payment method</h2>
<form method="post">
<label for="card">Card number</label><input id="card" name="card" inputmode="numeric" autocomplete="cc-number" placeholder="4242 4242 4242 4242">
<button class="primary" name="action" value="update_card">Update payment method</button>
</form>
<h2>Subscriptions</h2>
${subscriptions.map(subscriptionRow).join('\n')}
${back}`,
  );
}

function liveSession(core: EmulatorCore, id: string): Stripe.BillingPortal.Session | null {
  const session = core.store.get('billing_portal.session', id);
  if (!session || core.now() - session.created > SESSION_LIFETIME_SECONDS) return null;
  return session;
}

/**
 * The hosted Billing Portal at a session's `url`: update the card (the customer's card works
 * again) and cancel a subscription at once, each sending the events Stripe sends. With a
 * payment_method_update flow and a return_url, updating the card goes straight back.
 */
export function portalPageRouter(core: EmulatorCore): Router {
  const router = Router();
  const expired = layout('Billing portal', '<p>This billing portal session has expired. Go back and open it again.</p>');
  router.get('/p/session/:id', (req, res) => {
    const session = liveSession(core, req.params.id);
    if (!session) {
      res.status(404).send(expired);
      return;
    }
    res.send(portalPage(core, session));
  });

  router.post('/p/session/:id', express.urlencoded({ extended: false }), (req, res) => {
    const session = liveSession(core, req.params.id);
    if (!session) {
      res.status(404).send(expired);
      return;
    }
    const form = req.body as Record<string, string | undefined>;
    try {
      if (form.action === 'update_card') {
        updatePortalCard(core, session);
        const redirect = session.flow?.after_completion.redirect?.return_url;
        if (redirect) res.redirect(303, redirect);
        else res.send(portalPage(core, session, 'Your payment method was updated.'));
        return;
      }
      if (form.action === 'cancel' && form.subscription) {
        cancelFromPortal(core, session, form.subscription);
        res.send(portalPage(core, session, 'The subscription was canceled.'));
        return;
      }
      res.status(400).send(portalPage(core, session, 'Choose one of the buttons.'));
    } catch (error) {
      if (!(error instanceof StripeApiError)) throw error;
      res.status(error.status).send(portalPage(core, session, error.message));
    }
  });
  return router;
}
