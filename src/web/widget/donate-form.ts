import { h } from '../shared/dom.js';
import { formatAmount, parseAmount } from '../shared/money.js';
import { problemMessage, type PublicCampaign } from '../shared/types.js';

type Frequency = 'one_time' | 'monthly';

let instances = 0;

/** crypto.randomUUID needs a secure context; publishers' pages are not always served over https. */
function idempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function choice(name: string, value: string, text: string, checked: boolean): HTMLLabelElement {
  return h('label', { class: 'choice' }, h('input', { type: 'radio', name, value, checked }), h('span', {}, text));
}

/**
 * Presets, a custom amount, one-time or monthly, an optional email: posted as JSON to the
 * campaign's checkout, then the browser goes to the Stripe Checkout page it answers with.
 */
export class DonateForm {
  readonly element: HTMLFormElement;
  private readonly custom: HTMLInputElement;
  private readonly email: HTMLInputElement;
  private readonly error: HTMLParagraphElement;
  private readonly submit: HTMLButtonElement;

  constructor(
    private readonly campaign: PublicCampaign,
    private readonly checkoutUrl: string,
    private readonly locale: string,
    private readonly redirects: { successUrl: string | null; cancelUrl: string | null },
  ) {
    const id = `goalpost-${++instances}`;
    const money = (amount: number) => formatAmount(amount, campaign.currency, locale);
    const presets = campaign.amount_presets;
    const preselected = presets[Math.min(1, presets.length - 1)];
    this.custom = h('input', {
      id: `${id}-custom`,
      type: 'text',
      inputmode: 'decimal',
      autocomplete: 'off',
      placeholder: presets.length ? '' : money(campaign.min_amount),
      'aria-describedby': `${id}-range`,
    });
    this.email = h('input', { id: `${id}-email`, type: 'email', autocomplete: 'email', name: 'email' });
    this.error = h('p', { class: 'error', role: 'alert', id: `${id}-error` });
    this.submit = h('button', { type: 'submit', part: 'donate-button' });

    const amountChoices = presets.length
      ? h(
          'div',
          { class: 'choices' },
          presets.map((amount) => choice('amount', String(amount), money(amount), amount === preselected)),
          choice('amount', 'custom', 'Other', false),
        )
      : null;
    this.element = h(
      'form',
      { part: 'form', novalidate: true, 'aria-label': `Donate to ${campaign.name}` },
      h('fieldset', {}, h('legend', {}, 'Amount'), amountChoices),
      h(
        'div',
        { class: 'field' },
        h('label', { for: this.custom.id }, `Other amount (${campaign.currency.toUpperCase()})`),
        this.custom,
        h('span', { id: `${id}-range`, class: 'visually-hidden' }, `From ${money(campaign.min_amount)} to ${money(campaign.max_amount)}`),
      ),
      h(
        'fieldset',
        {},
        h('legend', {}, 'How often'),
        h('div', { class: 'choices' }, choice('frequency', 'one_time', 'One-time', true), choice('frequency', 'monthly', 'Monthly', false)),
      ),
      h('div', { class: 'field' }, h('label', { for: this.email.id }, 'Email for your receipt (optional)'), this.email),
      this.error,
      this.submit,
    );

    // Typing an amount chooses "Other"; picking a preset clears what was typed.
    this.custom.addEventListener('input', () => {
      const other = this.radio('amount', 'custom');
      if (other && this.custom.value) other.checked = true;
      this.changed();
    });
    this.element.addEventListener('change', (event) => {
      const target = event.target as HTMLInputElement;
      if (target.name === 'amount' && target.value !== 'custom') this.custom.value = '';
      if (target.value === 'custom') this.custom.focus();
      this.changed();
    });
    this.element.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.donate();
    });
    this.refreshLabel();
  }

  private radio(name: string, value: string): HTMLInputElement | null {
    return this.element.querySelector<HTMLInputElement>(`input[name="${name}"][value="${value}"]`);
  }

  private checked(name: string): string | undefined {
    return this.element.querySelector<HTMLInputElement>(`input[name="${name}"]:checked`)?.value;
  }

  private frequency(): Frequency {
    return this.checked('frequency') === 'monthly' ? 'monthly' : 'one_time';
  }

  /** The chosen amount in minor units, or a sentence saying what is wrong with it. */
  private amount(): number | string {
    const { currency, min_amount, max_amount } = this.campaign;
    const money = (amount: number) => formatAmount(amount, currency, this.locale);
    const preset = this.checked('amount');
    if (preset && preset !== 'custom') return Number(preset);
    const typed = parseAmount(this.custom.value, currency);
    if (typed === null) return 'Enter an amount, e.g. 25.';
    if (typed < min_amount) return `The smallest donation is ${money(min_amount)}.`;
    if (typed > max_amount) return `The largest donation is ${money(max_amount)}.`;
    return typed;
  }

  /** A new choice replaces the last complaint. */
  private changed(): void {
    this.error.textContent = '';
    this.custom.removeAttribute('aria-invalid');
    this.refreshLabel();
  }

  private refreshLabel(): void {
    const amount = this.amount();
    const monthly = this.frequency() === 'monthly' ? ' monthly' : '';
    this.submit.textContent =
      typeof amount === 'number' ? `Donate ${formatAmount(amount, this.campaign.currency, this.locale)}${monthly}` : 'Donate';
  }

  private async donate(): Promise<void> {
    const amount = this.amount();
    if (typeof amount === 'string') {
      this.error.textContent = amount;
      this.custom.setAttribute('aria-invalid', 'true');
      this.custom.focus();
      return;
    }
    this.custom.removeAttribute('aria-invalid');
    this.error.textContent = '';
    this.submit.disabled = true;
    const label = this.submit.textContent;
    this.submit.textContent = 'Opening secure checkout…';
    const body: Record<string, unknown> = { amount, frequency: this.frequency() };
    if (this.email.value.trim()) body.email = this.email.value.trim();
    if (this.redirects.successUrl) body.success_url = this.redirects.successUrl;
    if (this.redirects.cancelUrl) body.cancel_url = this.redirects.cancelUrl;
    try {
      const response = await fetch(this.checkoutUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Idempotency-Key': idempotencyKey() },
        body: JSON.stringify(body),
      });
      const answer = await response.json();
      if (response.ok && typeof answer.url === 'string') {
        location.assign(answer.url);
        return;
      }
      this.error.textContent = problemMessage(answer, 'The donation could not be started. Please try again.');
    } catch {
      this.error.textContent = 'The donation service cannot be reached. Please try again.';
    }
    this.submit.disabled = false;
    this.submit.textContent = label;
  }
}
