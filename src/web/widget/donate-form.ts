import { donationCharge } from '../../domain/fees.js';
import type { Attribution } from '../../domain/donation.js';
import { translator, type Language, type Translate } from '../../domain/i18n/languages.js';
import { WIDGET_MESSAGES, type WidgetMessage } from '../../domain/i18n/widget-messages.js';
import { h } from '../shared/dom.js';
import { formatAmount, parseAmount } from '../shared/money.js';
import { problemMessage, type PublicCampaign } from '../shared/types.js';

type Frequency = 'one_time' | 'monthly';

/** The optional fields a publisher can switch on or off with `fields="…"` (amount and frequency are always asked). */
const OPTIONAL_FIELDS = ['email', 'name', 'message', 'anonymous', 'cover-fee'] as const;
export type OptionalField = (typeof OPTIONAL_FIELDS)[number];

/** The API's limit on a donor message, counted in characters as people count them (an emoji is one). */
const MESSAGE_MAX = 500;
const NAME_MAX = 200;

/**
 * The `fields` attribute: a space-separated list of the optional fields to ask for. Without the
 * attribute every field is asked; `fields=""` asks only for the amount and how often.
 * Unknown words are ignored, so a newer page still works with an older widget.
 */
export function fieldsOf(attribute: string | null): Set<OptionalField> {
  if (attribute === null) return new Set(OPTIONAL_FIELDS);
  const words = attribute.toLowerCase().split(/\s+/);
  return new Set(OPTIONAL_FIELDS.filter((field) => words.includes(field)));
}

export interface DonateFormOptions {
  checkoutUrl: string;
  language: Language;
  /** The BCP 47 tag numbers and amounts are formatted with (may be more precise than the language). */
  locale: string;
  fields: Set<OptionalField>;
  redirects: { successUrl: string | null; cancelUrl: string | null };
  /** Read when the donor submits, so a page that changed its address since (a single-page app) is attributed as it is then. */
  attribution: () => Partial<Attribution>;
}

let instances = 0;

/** crypto.randomUUID needs a secure context; publishers' pages are not always served over https. */
function idempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function choice(name: string, value: string, text: string, checked: boolean): HTMLLabelElement {
  return h('label', { class: 'choice' }, h('input', { type: 'radio', name, value, checked }), h('span', {}, text));
}

const characters = (text: string) => [...text].length;

/**
 * Presets, a custom amount, one-time or monthly, and the optional fields the checkout takes
 * (email, name, message, anonymity, covering the fee): posted as JSON to the campaign's
 * checkout with what brought the donor (see attribution.ts), then the browser goes to the Stripe Checkout page it answers with. The fee shown
 * is computed by the same function the checkout charges with (domain/fees), from the fee
 * schedule the campaign read publishes.
 */
export class DonateForm {
  readonly element: HTMLFormElement;
  private readonly t: Translate<WidgetMessage>;
  private readonly custom: HTMLInputElement;
  private readonly email: HTMLInputElement | null = null;
  private readonly name: HTMLInputElement | null = null;
  private readonly message: HTMLTextAreaElement | null = null;
  private readonly messageCount: HTMLSpanElement;
  private readonly anonymous: HTMLInputElement | null = null;
  private readonly coverFee: HTMLInputElement | null = null;
  private readonly feeDetail: HTMLSpanElement;
  private readonly error: HTMLParagraphElement;
  private readonly submit: HTMLButtonElement;

  constructor(
    private readonly campaign: PublicCampaign,
    private readonly options: DonateFormOptions,
  ) {
    const id = `goalpost-${++instances}`;
    const t = (this.t = translator(WIDGET_MESSAGES, options.language, options.locale));
    const money = (amount: number) => this.money(amount);
    const { fields } = options;
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
    this.messageCount = h('span', { id: `${id}-message-count`, class: 'hint', 'aria-live': 'polite' });
    this.feeDetail = h('span', { id: `${id}-fee`, class: 'hint', 'aria-live': 'polite' });
    this.error = h('p', { class: 'error', role: 'alert', id: `${id}-error` });
    this.submit = h('button', { type: 'submit', part: 'donate-button' });

    const field = (input: HTMLElement, label: string, ...after: HTMLElement[]) =>
      h('div', { class: 'field' }, h('label', { for: input.id }, label), input, ...after);
    const checkbox = (input: HTMLInputElement, label: string, ...after: HTMLElement[]) =>
      h('div', { class: 'check' }, input, h('label', { for: input.id }, label), ...after);

    if (fields.has('email')) this.email = h('input', { id: `${id}-email`, type: 'email', autocomplete: 'email', name: 'email' });
    if (fields.has('name')) this.name = h('input', { id: `${id}-name`, type: 'text', autocomplete: 'name', name: 'name', maxlength: NAME_MAX });
    if (fields.has('message')) {
      this.message = h('textarea', { id: `${id}-message`, name: 'message', rows: 3, 'aria-describedby': this.messageCount.id });
    }
    if (fields.has('anonymous')) this.anonymous = h('input', { id: `${id}-anonymous`, type: 'checkbox', name: 'anonymous' });
    if (fields.has('cover-fee')) {
      this.coverFee = h('input', { id: `${id}-cover-fee`, type: 'checkbox', name: 'cover_fees', 'aria-describedby': this.feeDetail.id });
    }

    const amountChoices = presets.length
      ? h(
          'div',
          { class: 'choices' },
          presets.map((amount) => choice('amount', String(amount), money(amount), amount === preselected)),
          choice('amount', 'custom', t('form.other'), false),
        )
      : null;
    this.element = h(
      'form',
      { part: 'form', novalidate: true, 'aria-label': t('form.label', { campaign: campaign.name }) },
      h('fieldset', {}, h('legend', {}, t('form.amount')), amountChoices),
      field(
        this.custom,
        t('form.other_amount', { currency: campaign.currency.toUpperCase() }),
        h('span', { id: `${id}-range`, class: 'visually-hidden' }, t('form.range', { min: money(campaign.min_amount), max: money(campaign.max_amount) })),
      ),
      h(
        'fieldset',
        {},
        h('legend', {}, t('form.frequency')),
        h(
          'div',
          { class: 'choices' },
          choice('frequency', 'one_time', t('form.one_time'), true),
          choice('frequency', 'monthly', t('form.monthly'), false),
        ),
      ),
      this.email && field(this.email, t('form.email')),
      this.name && field(this.name, t('form.name')),
      this.message && field(this.message, t('form.message'), this.messageCount),
      this.anonymous && checkbox(this.anonymous, t('form.anonymous')),
      this.coverFee && checkbox(this.coverFee, t('form.cover_fee'), this.feeDetail),
      this.error,
      this.submit,
    );

    // Typing an amount chooses "Other"; picking a preset clears what was typed.
    this.custom.addEventListener('input', () => {
      const other = this.radio('amount', 'custom');
      if (other && this.custom.value) other.checked = true;
      this.changed();
    });
    this.message?.addEventListener('input', () => this.changed());
    this.element.addEventListener('change', (event) => {
      const target = event.target as HTMLInputElement;
      if (target.name === 'amount' && target.value !== 'custom') this.custom.value = '';
      if (target.name === 'amount' && target.value === 'custom') this.custom.focus();
      this.changed();
    });
    this.element.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.donate();
    });
    this.refresh();
  }

  private money(amount: number): string {
    return formatAmount(amount, this.campaign.currency, this.options.locale);
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
    const preset = this.checked('amount');
    if (preset && preset !== 'custom') return Number(preset);
    const typed = parseAmount(this.custom.value, currency, this.options.locale);
    if (typed === null) return this.t('error.amount_missing');
    if (typed < min_amount) return this.t('error.amount_low', { min: this.money(min_amount) });
    if (typed > max_amount) return this.t('error.amount_high', { max: this.money(max_amount) });
    return typed;
  }

  /** What the donor is charged: the amount, grossed up exactly as the checkout does when they cover the fee. */
  private charge(amount: number): { total: number; fee: number } {
    return donationCharge(amount, this.campaign.currency, this.coverFee?.checked ?? false, this.campaign.fees);
  }

  /** A new choice replaces the last complaint. */
  private changed(): void {
    this.error.textContent = '';
    this.custom.removeAttribute('aria-invalid');
    this.message?.removeAttribute('aria-invalid');
    this.refresh();
  }

  private refresh(): void {
    const amount = this.amount();
    const frequency = this.frequency();
    const charge = typeof amount === 'number' ? this.charge(amount) : null;
    this.submit.textContent = charge ? this.t('form.submit', { frequency, amount: this.money(charge.total) }) : this.t('form.submit_plain');
    this.feeDetail.textContent =
      charge && charge.fee > 0 ? this.t('form.fee_detail', { frequency, fee: this.money(charge.fee), total: this.money(charge.total) }) : '';
    if (this.message) {
      const left = MESSAGE_MAX - characters(this.message.value.trim());
      this.messageCount.textContent = left >= 0 ? this.t('form.message_left', { left }) : this.t('form.message_over', { over: -left });
      this.messageCount.classList.toggle('over', left < 0);
    }
  }

  /** The first problem with what was entered, and the control to fix it in. */
  private problem(): { message: string; control: HTMLElement } | null {
    const amount = this.amount();
    if (typeof amount === 'string') return { message: amount, control: this.custom };
    if (this.message && characters(this.message.value.trim()) > MESSAGE_MAX) {
      return { message: this.t('error.message_long', { max: MESSAGE_MAX }), control: this.message };
    }
    return null;
  }

  private body(amount: number): Record<string, unknown> {
    const text = (input: HTMLInputElement | HTMLTextAreaElement | null) => input?.value.trim() || undefined;
    const { redirects, language, attribution } = this.options;
    return {
      ...attribution(),
      amount,
      frequency: this.frequency(),
      email: text(this.email),
      name: text(this.name),
      message: text(this.message),
      anonymous: this.anonymous?.checked || undefined,
      cover_fees: this.coverFee?.checked || undefined,
      locale: language,
      success_url: redirects.successUrl ?? undefined,
      cancel_url: redirects.cancelUrl ?? undefined,
    };
  }

  private async donate(): Promise<void> {
    const problem = this.problem();
    if (problem) {
      this.error.textContent = problem.message;
      problem.control.setAttribute('aria-invalid', 'true');
      problem.control.focus();
      return;
    }
    const amount = this.amount() as number;
    this.error.textContent = '';
    this.submit.disabled = true;
    const label = this.submit.textContent;
    this.submit.textContent = this.t('form.submitting');
    try {
      const response = await fetch(this.options.checkoutUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Idempotency-Key': idempotencyKey() },
        body: JSON.stringify(this.body(amount)),
      });
      const answer = await response.json();
      if (response.ok && typeof answer.url === 'string') {
        location.assign(answer.url);
        return;
      }
      this.error.textContent = problemMessage(answer, this.t('error.not_started'));
    } catch {
      this.error.textContent = this.t('error.unreachable');
    }
    this.submit.disabled = false;
    this.submit.textContent = label;
  }
}
