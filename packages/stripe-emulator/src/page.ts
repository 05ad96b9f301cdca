import express, { Router, type Response } from 'express';
import type Stripe from 'stripe';
import { formatMoney } from './currencies.js';
import type { EmulatorCore } from './core.js';
import { StripeApiError } from './errors.js';
import { declineCheckoutSession, payCheckoutSession } from './flows/hosted-checkout.js';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

export function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;background:#f6f9fc;color:#1a1f36;margin:0}
main{max-width:420px;margin:3rem auto;background:#fff;border-radius:8px;padding:2rem;box-shadow:0 2px 8px #0002}
.banner{background:#fff4d6;color:#7a4b00;font-size:.85rem;padding:.5rem 1rem;text-align:center}
label{display:block;margin:.75rem 0 .25rem;font-size:.9rem}
input{width:100%;box-sizing:border-box;padding:.5rem;border:1px solid #c9d1dc;border-radius:4px;font:inherit}
button{width:100%;margin-top:.75rem;padding:.65rem;border:0;border-radius:4px;font:inherit;cursor:pointer}
.primary{background:#635bff;color:#fff}.secondary{background:#e3e8ee;color:#1a1f36}
.error{color:#c0123c}.amount{font-size:2rem;font-weight:600;margin:.25rem 0}
</style></head><body>
<div class="banner">Goalpost Stripe emulator — a development tool. No real payment is made.</div>
<main>${body}</main></body></html>`;
}

function lineSummary(core: EmulatorCore, session: Stripe.Checkout.Session): string {
  const items = core.store.checkoutExtras.get(session.id)?.lineItems ?? [];
  const recurring = items.some((item) => item.price?.recurring);
  const total = formatMoney({ amount: session.amount_total ?? 0, currency: session.currency ?? 'usd' });
  const names = items.map((item) => escapeHtml(item.description ?? '')).join(', ');
  return `<p>${names}</p><p class="amount">${escapeHtml(total)}${recurring ? ' <small>per month</small>' : ''}</p>`;
}

function payPage(core: EmulatorCore, session: Stripe.Checkout.Session, error?: string): string {
  const submit = session.submit_type === 'donate' ? 'Donate' : session.mode === 'subscription' ? 'Subscribe' : 'Pay';
  return layout(
    'Checkout',
    `${lineSummary(core, session)}
<form method="post">
<label for="email">Email</label><input id="email" name="email" type="email" value="${escapeHtml(session.customer_email ?? '')}" placeholder="donor@example.com">
<label for="name">Name on card</label><input id="name" name="name" autocomplete="cc-name" placeholder="Jenny Rosen">
${error ? `<p class="error">${escapeHtml(error)}</p>` : ''}
<button class="primary" name="action" value="pay">${submit}</button>
<button class="secondary" name="action" value="pay_delayed">${submit} with a delayed method (bank debit)</button>
<button class="secondary" name="action" value="decline">${submit} with a card that is declined</button>
<button class="secondary" name="action" value="cancel">Cancel and go back</button>
</form>`,
  );
}

function closedPage(session: Stripe.Checkout.Session): string {
  const text = session.status === 'complete' ? 'This payment is complete. You can close this page.' : 'This checkout session has expired.';
  return layout('Checkout', `<p>${text}</p>`);
}

function redirectToSuccess(res: Response, session: Stripe.Checkout.Session): void {
  if (!session.success_url) {
    res.send(closedPage(session));
    return;
  }
  res.redirect(303, session.success_url.replaceAll('{CHECKOUT_SESSION_ID}', session.id));
}

/** The hosted Checkout page at a session's `url`: Pay, Pay with a delayed method, Decline, Cancel. */
export function hostedPageRouter(core: EmulatorCore): Router {
  const router = Router();
  router.get('/c/pay/:id', (req, res) => {
    const session = core.store.get('checkout.session', req.params.id);
    if (!session) {
      res.status(404).send(layout('Checkout', '<p>No such checkout session.</p>'));
      return;
    }
    res.send(session.status === 'open' ? payPage(core, session) : closedPage(session));
  });

  router.post('/c/pay/:id', express.urlencoded({ extended: false }), (req, res) => {
    const session = core.store.get('checkout.session', req.params.id);
    if (!session || session.status !== 'open') {
      res.status(session ? 409 : 404).send(session ? closedPage(session) : layout('Checkout', '<p>No such checkout session.</p>'));
      return;
    }
    const form = req.body as Record<string, string | undefined>;
    const donor = { email: form.email, name: form.name };
    try {
      switch (form.action) {
        case 'pay':
        case 'pay_delayed':
          payCheckoutSession(core, session.id, { ...donor, method: form.action === 'pay' ? 'card' : 'delayed' });
          redirectToSuccess(res, session);
          return;
        case 'decline':
          declineCheckoutSession(core, session.id, donor);
          res.status(402).send(payPage(core, session, 'Your card was declined. Try another payment method.'));
          return;
        case 'cancel':
          if (session.cancel_url) res.redirect(303, session.cancel_url);
          else res.send(layout('Checkout', '<p>Checkout canceled.</p>'));
          return;
        default:
          res.status(400).send(payPage(core, session, 'Choose one of the buttons.'));
      }
    } catch (error) {
      if (!(error instanceof StripeApiError)) throw error;
      res.status(error.status).send(payPage(core, session, error.message));
    }
  });
  return router;
}
