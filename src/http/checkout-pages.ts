import { formatMoney } from '../domain/money.js';
import type { CheckoutState } from '../services/checkout.js';

/**
 * The default pages Stripe sends donors back to when the donate form gave no URLs of its own.
 * Plain HTML without scripts; a page still waiting for Stripe's confirmation reloads itself.
 */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function page(title: string, body: string, refreshSeconds?: number): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
${refreshSeconds ? `<meta http-equiv="refresh" content="${refreshSeconds}">` : ''}<title>${escapeHtml(title)}</title></head>
<body style="max-width:36rem;margin:3rem auto;padding:0 1rem;font:18px/1.5 system-ui,sans-serif">
${body}
</body></html>`;
}

export function thankYouPage(state: CheckoutState, manageUrl: string | null = null): string {
  const campaign = escapeHtml(state.campaign_name);
  if (state.status === 'expired') {
    return page('Checkout expired', `<h1>This checkout expired</h1><p>No payment was taken for ${campaign}.</p>`);
  }
  const { donation } = state;
  if (donation?.status === 'failed') {
    return page('Payment failed', `<h1>The payment did not go through</h1><p>No donation to ${campaign} was taken. You can try again.</p>`);
  }
  if (!donation || donation.status !== 'succeeded') {
    return page(
      'Confirming your donation',
      `<h1>Thank you!</h1><p>We are confirming your donation to ${campaign} with the payment provider. This page updates by itself.</p>`,
      3,
    );
  }
  const amount = escapeHtml(formatMoney({ amount: donation.amount + donation.fee_amount, currency: donation.currency }));
  const cadence = donation.frequency === 'monthly' ? ' every month' : '';
  const greeting = donation.donor_name ? `Thank you, ${escapeHtml(donation.donor_name)}!` : 'Thank you!';
  const receipt = donation.receipt_number ? ` Your receipt number is ${escapeHtml(donation.receipt_number)}.` : '';
  const manage = manageUrl
    ? `<p>You can change the amount, update your card or stop your monthly donation at any time: <a href="${escapeHtml(manageUrl)}">manage my monthly donation</a>.</p>`
    : '';
  return page('Thank you', `<h1>${greeting}</h1><p>Your donation of ${amount}${cadence} to ${campaign} was received.${receipt}</p>${manage}`);
}

export function canceledPage(): string {
  return page('Donation canceled', '<h1>No donation was made</h1><p>You left the checkout before paying. You can close this page.</p>');
}
