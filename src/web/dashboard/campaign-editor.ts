import { isSupportedCurrency, minorUnitDigits } from '../../domain/money.js';
import { fill, h } from '../shared/dom.js';
import { decimalString, parseAmount } from '../shared/money.js';
import type { Row } from '../shared/api.js';
import type { Api } from './api.js';
import { FormErrors, labelled, type FieldError, type FieldPlace } from './fields.js';
import { confirmAction, toast } from './ui.js';

export type AdminCampaign = Row<'/v1/admin/campaigns'>;
type Status = AdminCampaign['status'];

const RECEIPT_FIELDS = [
  ['org_name', 'Organisation name', 'input', 'Printed at the top of every receipt.'],
  ['org_address', 'Organisation address', 'textarea', ''],
  ['org_tax_id', 'Tax or charity number', 'input', ''],
  ['tax_sentence', 'Tax sentence', 'textarea', 'E.g. "No goods or services were provided in exchange for this contribution."'],
] as const;
type ReceiptKey = (typeof RECEIPT_FIELDS)[number][0];

let nextId = 0;
const uid = (base: string) => `${base}-${(nextId += 1)}`;

function textInput(id: string, value = '', attributes: Record<string, string | boolean> = {}): HTMLInputElement {
  return h('input', { id, name: id, type: 'text', value, autocomplete: 'off', ...attributes });
}

function textArea(id: string, value = '', rows = 3): HTMLTextAreaElement {
  const area = h('textarea', { id, name: id, rows });
  area.value = value;
  return area;
}

/**
 * Between suggested amounts: spaces, semicolons, or a comma followed by a space (or ending the
 * list). A comma between digits is left to parseAmount, which reads it as grouping, so "1,000"
 * is one thousand and not 1 and 0; "10,25" is then one unreadable amount, reported beside the
 * field, rather than two amounts the admin may not have meant.
 */
const PRESET_SEPARATOR = /[;\s]+|,(?=\s|$)/;

/** A money field: decimal in the campaign's currency ("12.50", "500" for yen), sent as minor units. */
function moneyInput(id: string, value: number | undefined, currency: string): HTMLInputElement {
  return textInput(id, value === undefined ? '' : decimalString(value, currency), { inputmode: 'decimal', class: 'money' });
}

interface TierRow {
  element: HTMLFieldSetElement;
  legend: HTMLLegendElement;
  amount: HTMLInputElement;
  label: HTMLInputElement;
  description: HTMLInputElement;
}

/**
 * Creates a campaign (POST /v1/admin/campaigns) or edits one (PATCH …/:slug), and pauses,
 * resumes or archives it. Amounts are typed as decimals of the campaign currency and sent in
 * minor units; the API's rules (ascending tiers, presets within the limits…) are left to the
 * API, whose field errors are shown beside the fields. A read key sees the form disabled.
 */
export class CampaignEditor {
  readonly element: HTMLElement;
  /** The campaign's status with pause / resume / archive (null for a new campaign). */
  readonly status: HTMLElement | null;
  private readonly form: HTMLFormElement;
  private readonly errors: FormErrors;
  private readonly slug = textInput('campaign-slug', '', { spellcheck: 'false' });
  private readonly name: HTMLInputElement;
  private readonly description: HTMLTextAreaElement;
  private readonly currency: HTMLInputElement;
  private readonly timezone: HTMLInputElement;
  private readonly goalPeriod: HTMLSelectElement;
  private readonly goalAmount: HTMLInputElement;
  private readonly tierList = h('div', { class: 'tier-list' });
  private readonly addTier: HTMLButtonElement;
  private tiers: TierRow[] = [];
  private readonly presets: HTMLInputElement;
  private readonly minAmount: HTMLInputElement;
  private readonly maxAmount: HTMLInputElement;
  private readonly origins: HTMLTextAreaElement;
  private readonly showAmounts: HTMLInputElement;
  private readonly receipt = new Map<ReceiptKey, HTMLInputElement | HTMLTextAreaElement>();

  constructor(
    private readonly api: Api,
    private readonly campaign: AdminCampaign | null,
    private readonly canAct: boolean,
    private readonly onSaved: (slug: string) => void,
    onCancel?: () => void,
  ) {
    const currency = campaign?.currency ?? 'usd';
    this.name = textInput('campaign-name', campaign?.name ?? '');
    this.description = textArea('campaign-description', campaign?.description ?? '');
    this.currency = textInput('campaign-currency', currency, { maxlength: '3', spellcheck: 'false', readonly: campaign !== null });
    this.timezone = textInput('campaign-timezone', campaign?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone, {
      list: 'campaign-timezones',
      spellcheck: 'false',
    });
    this.goalPeriod = h(
      'select',
      { id: 'campaign-goal-period', name: 'goal_period' },
      h('option', { value: 'monthly' }, 'Every month'),
      h('option', { value: 'total' }, 'In total (all time)'),
    );
    this.goalPeriod.value = campaign?.goal.period ?? 'monthly';
    this.goalAmount = moneyInput('campaign-goal-amount', campaign?.goal.amount, currency);
    this.addTier = h('button', { type: 'button', class: 'secondary', id: 'campaign-add-tier', onclick: () => this.addTierRow() }, 'Add a tier');
    for (const tier of campaign?.tiers ?? []) this.addTierRow(tier, false);
    this.presets = textInput('campaign-presets', (campaign?.amount_presets ?? []).map((amount) => decimalString(amount, currency)).join(', '));
    this.minAmount = moneyInput('campaign-min', campaign?.min_amount, currency);
    this.maxAmount = moneyInput('campaign-max', campaign?.max_amount, currency);
    this.origins = textArea('campaign-origins', (campaign?.allowed_redirect_origins ?? []).join('\n'));
    this.showAmounts = h('input', { id: 'campaign-show-amounts', name: 'show_amounts', type: 'checkbox', checked: campaign?.show_amounts ?? false });
    for (const [key, , kind] of RECEIPT_FIELDS) {
      const id = `campaign-receipt-${key.replace(/_/g, '-')}`;
      const value = campaign?.receipt_settings[key] ?? '';
      this.receipt.set(key, kind === 'input' ? textInput(id, value) : textArea(id, value, 2));
    }
    this.errors = new FormErrors((field) => this.locate(field));

    const code = h('span', { class: 'currency-code' });
    const showCode = () => {
      const typed = this.currencyCode();
      const zeroDecimal = isSupportedCurrency(typed) && minorUnitDigits(typed) === 0;
      for (const span of this.form.querySelectorAll('.currency-code')) span.textContent = `${typed.toUpperCase() || '…'}${zeroDecimal ? ', whole units' : ''}`;
    };
    const inCurrency = (label: string) => [label, ' (', code.cloneNode(), ')'];
    const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];

    const fields = h(
      'fieldset',
      { class: 'campaign-fields', disabled: !canAct },
      h('legend', { class: 'visually-hidden' }, campaign ? `Settings of ${campaign.name}` : 'New campaign'),
      h(
        'div',
        { class: 'grid-2' },
        labelled('Name', this.name),
        campaign
          ? h('div', { class: 'field' }, h('span', { class: 'label' }, 'Slug'), h('code', {}, campaign.slug))
          : labelled('Slug', this.slug, 'Used in the widget and the API; lowercase letters, digits and hyphens. It cannot change later.'),
      ),
      labelled('Description', this.description),
      h(
        'div',
        { class: 'grid-2' },
        labelled('Currency', this.currency, campaign ? 'Fixed once the campaign exists.' : 'A three-letter code such as usd, eur or jpy. It cannot change later.'),
        labelled('Timezone', this.timezone, 'Months start at midnight here.'),
      ),
      h('datalist', { id: 'campaign-timezones' }, zones.map((zone) => h('option', { value: zone }))),
      h('div', { class: 'grid-2' }, labelled('Goal', this.goalPeriod), labelled(inCurrency('Goal amount'), this.goalAmount)),
      h(
        'fieldset',
        { class: 'tiers', 'aria-describedby': 'campaign-tiers-hint' },
        h('legend', {}, 'Tiers'),
        h('p', { class: 'hint', id: 'campaign-tiers-hint' }, 'Milestones on the bar, in ascending order of amount.'),
        this.tierList,
        canAct ? this.addTier : null,
        h('p', { class: 'field-error', id: `${this.addTier.id}-error` }),
      ),
      labelled(inCurrency('Suggested amounts'), this.presets, 'The donate form offers these. Separate them with spaces, semicolons or a comma and a space ("10, 25, 1,000"); a comma between digits groups thousands.'),
      h('div', { class: 'grid-2' }, labelled(inCurrency('Smallest donation'), this.minAmount, campaign ? '' : "Empty: Stripe's minimum charge."), labelled(inCurrency('Largest donation'), this.maxAmount)),
      labelled('Allowed redirect origins', this.origins, 'One per line, e.g. https://news.example. Donors may be sent back only to these pages (and this service).'),
      labelled('Show amounts on the supporters wall', this.showAmounts),
      h(
        'fieldset',
        { class: 'receipt' },
        h('legend', {}, 'Receipt wording'),
        RECEIPT_FIELDS.map(([key, label, , hint]) => labelled(label, this.receipt.get(key)!, hint || undefined)),
      ),
    );
    this.form = h(
      'form',
      { class: 'campaign-editor', novalidate: true, 'aria-label': campaign ? 'Campaign settings' : 'New campaign' },
      this.errors.summary,
      fields,
      canAct
        ? h(
            'div',
            { class: 'actions' },
            h('button', { type: 'submit' }, campaign ? 'Save changes' : 'Create campaign'),
            onCancel ? h('button', { type: 'button', class: 'secondary', onclick: onCancel }, 'Cancel') : null,
          )
        : null,
    );
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.save();
    });
    if (!campaign) {
      this.currency.addEventListener('input', showCode);
      // A slug suggested from the name until the admin types one.
      this.name.addEventListener('input', () => {
        if (this.slug.dataset.edited) return;
        this.slug.value = this.name.value.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64);
      });
      this.slug.addEventListener('input', () => (this.slug.dataset.edited = 'yes'));
    }
    this.renumberTiers();
    this.element = this.form;
    this.status = campaign ? this.statusBar(campaign) : null;
    showCode();
  }

  /** Focus lands on the first field when the form opens for a new campaign. */
  focus(): void {
    this.name.focus();
  }

  private currencyCode(): string {
    return this.currency.value.trim().toLowerCase();
  }

  private addTierRow(tier?: { amount: number; label: string; description: string }, focus = true): void {
    const currency = this.campaign?.currency ?? this.currencyCode();
    const amount = moneyInput(uid('tier-amount'), tier?.amount, isSupportedCurrency(currency) ? currency : 'usd');
    const label = textInput(uid('tier-label'), tier?.label ?? '');
    const description = textInput(uid('tier-description'), tier?.description ?? '');
    const legend = h('legend', {});
    const element = h('fieldset', { class: 'tier-row' }, legend);
    const row: TierRow = { element, legend, amount, label, description };
    const move = (by: -1 | 1) => () => {
      const index = this.tiers.indexOf(row);
      const target = index + by;
      if (target < 0 || target >= this.tiers.length) return;
      this.tiers.splice(index, 1);
      this.tiers.splice(target, 0, row);
      this.renumberTiers();
      amount.focus();
    };
    element.append(
      labelled(['Amount (', h('span', { class: 'currency-code' }), ')'], amount),
      labelled('Label', label),
      labelled('Description', description),
    );
    if (this.canAct) {
      element.append(
        h(
          'div',
          { class: 'actions' },
          h('button', { type: 'button', class: 'secondary', onclick: move(-1) }, 'Move up'),
          h('button', { type: 'button', class: 'secondary', onclick: move(1) }, 'Move down'),
          h(
            'button',
            {
              type: 'button',
              class: 'secondary',
              onclick: () => {
                this.tiers.splice(this.tiers.indexOf(row), 1);
                this.renumberTiers();
                this.addTier.focus();
              },
            },
            'Remove',
          ),
        ),
      );
    }
    this.tiers.push(row);
    this.renumberTiers();
    if (focus) {
      const code = this.form?.querySelector('.currency-code')?.textContent ?? '';
      for (const span of element.querySelectorAll('.currency-code')) span.textContent = code;
      amount.focus();
    }
  }

  private renumberTiers(): void {
    this.tiers.forEach((row, index) => {
      row.legend.textContent = `Tier ${index + 1}`;
      row.element.setAttribute('aria-label', `Tier ${index + 1}`);
    });
    fill(this.tierList, this.tiers.length ? this.tiers.map((row) => row.element) : h('p', { class: 'empty' }, 'No tiers.'));
  }

  /** The control that shows an API field path's error. */
  private locate(field: string): FieldPlace | undefined {
    const [head, index, part] = field.split('.');
    const position = Number(index);
    switch (head) {
      case 'slug':
        return this.campaign ? undefined : { control: this.slug };
      case 'name':
        return { control: this.name };
      case 'description':
        return { control: this.description };
      case 'currency':
        return { control: this.currency };
      case 'timezone':
        return { control: this.timezone };
      case 'goal':
        return { control: index === 'period' ? this.goalPeriod : this.goalAmount };
      case 'tiers': {
        const row = this.tiers[position];
        if (!row) return { control: this.addTier };
        return { control: part === 'label' ? row.label : part === 'description' ? row.description : row.amount };
      }
      case 'amount_presets':
        return { control: this.presets, prefix: Number.isInteger(position) && index !== undefined ? `amount ${position + 1}` : undefined };
      case 'min_amount':
        return { control: this.minAmount };
      case 'max_amount':
        return { control: this.maxAmount };
      case 'allowed_redirect_origins':
        return { control: this.origins, prefix: Number.isInteger(position) && index !== undefined ? `line ${position + 1}` : undefined };
      case 'show_amounts':
        return { control: this.showAmounts };
      case 'receipt_settings': {
        const control = this.receipt.get(index as ReceiptKey);
        return control ? { control } : undefined;
      }
      default:
        return undefined;
    }
  }

  /** The request body, or the amounts that could not be read (checked here: only the page knows the decimals typed). */
  private collect(): { body: Record<string, unknown> } | { errors: FieldError[] } {
    const errors: FieldError[] = [];
    const currency = this.campaign?.currency ?? this.currencyCode();
    const digits = isSupportedCurrency(currency) ? minorUnitDigits(currency) : 2;
    const moneyRule = digits ? `an amount such as 25 or 12.${'5'.padEnd(digits, '0')}` : 'a whole amount, no decimals';
    const money = (field: string, text: string, required: boolean): number | undefined => {
      if (!text.trim()) {
        if (required) errors.push({ field, message: `enter ${moneyRule}` });
        return undefined;
      }
      const amount = isSupportedCurrency(currency) ? parseAmount(text, currency) : parseAmount(text, 'usd');
      if (amount === null) errors.push({ field, message: `enter ${moneyRule}` });
      return amount ?? undefined;
    };
    const goalAmount = money('goal.amount', this.goalAmount.value, true);
    const tiers = this.tiers.map((row, index) => ({
      amount: money(`tiers.${index}.amount`, row.amount.value, true),
      label: row.label.value.trim(),
      description: row.description.value.trim(),
    }));
    const presets = this.presets.value
      .split(PRESET_SEPARATOR)
      .filter(Boolean)
      .map((text, index) => money(`amount_presets.${index}`, text, true));
    const minAmount = money('min_amount', this.minAmount.value, false);
    const maxAmount = money('max_amount', this.maxAmount.value, false);
    if (errors.length) return { errors };
    const receiptSettings: Record<string, string> = {};
    for (const [key, control] of this.receipt) if (control.value.trim()) receiptSettings[key] = control.value.trim();
    return {
      body: {
        ...(this.campaign ? {} : { slug: this.slug.value.trim(), currency }),
        name: this.name.value.trim(),
        description: this.description.value.trim(),
        timezone: this.timezone.value.trim(),
        goal: { period: this.goalPeriod.value, amount: goalAmount },
        tiers,
        amount_presets: presets,
        ...(minAmount !== undefined && { min_amount: minAmount }),
        ...(maxAmount !== undefined && { max_amount: maxAmount }),
        allowed_redirect_origins: this.origins.value.split('\n').map((line) => line.trim()).filter(Boolean),
        show_amounts: this.showAmounts.checked,
        receipt_settings: receiptSettings,
      },
    };
  }

  private async save(): Promise<void> {
    const collected = this.collect();
    if ('errors' in collected) {
      this.errors.show('Some amounts could not be read.', collected.errors);
      return;
    }
    this.errors.clear();
    const submit = this.form.querySelector<HTMLButtonElement>('button[type="submit"]');
    if (submit) submit.disabled = true;
    try {
      const saved = this.campaign
        ? await this.api.patch<AdminCampaign>(`/v1/admin/campaigns/${encodeURIComponent(this.campaign.slug)}`, collected.body)
        : await this.api.post<AdminCampaign>('/v1/admin/campaigns', collected.body);
      toast(this.campaign ? `Saved ${saved.name}.` : `Created ${saved.name}.`);
      this.onSaved(saved.slug);
    } catch (failure) {
      this.errors.showFailure(failure);
    } finally {
      if (submit) submit.disabled = false;
    }
  }

  private statusBar(campaign: AdminCampaign): HTMLElement {
    const described: Record<Status, string> = {
      active: 'Active: taking donations.',
      paused: 'Paused: the bar still shows, the donate button does not take money.',
      archived: 'Archived: hidden from the public API; its history stays.',
    };
    const button = (label: string, status: Status, danger = false) =>
      h('button', { type: 'button', class: danger ? 'danger' : 'secondary', onclick: () => void this.setStatus(campaign, status, label) }, label);
    const actions: HTMLButtonElement[] = [];
    if (this.canAct) {
      if (campaign.status === 'active') actions.push(button('Pause', 'paused'));
      if (campaign.status !== 'active') actions.push(button(campaign.status === 'paused' ? 'Resume' : 'Restore', 'active'));
      if (campaign.status !== 'archived') actions.push(button('Archive', 'archived', true));
    }
    return h('div', { class: 'status-bar' }, h('span', { class: `badge ${campaign.status}` }, campaign.status), h('span', {}, described[campaign.status]), h('div', { class: 'actions' }, actions));
  }

  private async setStatus(campaign: AdminCampaign, status: Status, label: string): Promise<void> {
    if (status !== 'active') {
      const confirmed = await confirmAction({
        title: `${label} ${campaign.name}?`,
        body: [
          h(
            'p',
            {},
            status === 'paused'
              ? 'Donors cannot start a donation while it is paused. You can resume it at any time.'
              : 'The campaign leaves the public API and the widget stops showing it. Its donations and months stay, and an admin can restore it.',
          ),
        ],
        confirmLabel: label,
        danger: status === 'archived',
      });
      if (!confirmed) return;
    }
    try {
      await this.api.patch(`/v1/admin/campaigns/${encodeURIComponent(campaign.slug)}`, { status });
      toast(`${campaign.name} is now ${status}.`);
      this.onSaved(campaign.slug);
    } catch (failure) {
      toast(failure instanceof Error ? failure.message : String(failure), 'error');
    }
  }
}
