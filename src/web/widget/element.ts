import { fill, h } from '../shared/dom.js';
import { formatAmount, majorUnits } from '../shared/money.js';
import { problemMessage, type Progress, type PublicCampaign } from '../shared/types.js';
import { DonateForm } from './donate-form.js';
import { WIDGET_CSS } from './styles.js';

/** Where the script was loaded from: the API lives there unless the element says otherwise. */
const SCRIPT_ORIGIN = (() => {
  const src = (document.currentScript as HTMLScriptElement | null)?.src;
  return src ? new URL(src).origin : location.origin;
})();

/** After the server refused the stream (or is unreachable for good), try again this much later. */
const RECONNECT_AFTER_MS = 30_000;

let sheet: CSSStyleSheet | null = null;

/** One constructed stylesheet shared by every instance; pages whose CSP forbids inline styles still allow it. */
function applyStyles(root: ShadowRoot): void {
  if ('adoptedStyleSheets' in root && typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype) {
    if (!sheet) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(WIDGET_CSS);
    }
    root.adoptedStyleSheets = [sheet];
  } else {
    root.append(h('style', {}, WIDGET_CSS));
  }
}

/**
 * `<goalpost-progress campaign="support" [api="https://donate.example"] [hide-donate] [locale="en-US"]>`:
 * the month's bar with its tiers, live over Server-Sent Events, and a donate form.
 * Fires `goalpost-progress` (detail: the progress) whenever the figures change.
 */
export class GoalpostProgressElement extends HTMLElement {
  static observedAttributes = ['campaign', 'api', 'hide-donate', 'locale'];

  private readonly root: ShadowRoot;
  private source: EventSource | null = null;
  private retry: ReturnType<typeof setTimeout> | null = null;
  private generation = 0;

  private readonly month = h('p', { class: 'month', part: 'month' });
  private readonly raised = h('p', { class: 'raised', part: 'raised' });
  private readonly fillBar = h('div', { class: 'fill', part: 'fill' });
  private readonly bar = h('div', { class: 'bar', part: 'bar', role: 'progressbar', 'aria-valuemin': 0 }, this.fillBar);
  private readonly ticks = h('ol', { class: 'ticks', part: 'ticks', 'aria-hidden': 'true' });
  private readonly next = h('p', { class: 'next', part: 'next' });
  private readonly tiers = h('ul', { class: 'tiers', part: 'tiers' });
  private readonly status = h('p', { class: 'status', role: 'status' });
  private readonly body = h('div', { part: 'body', hidden: true }, this.month, this.raised, this.bar, this.ticks, this.next, this.tiers);
  private form: DonateForm | null = null;

  constructor() {
    super();
    this.root = this.attachShadow({ mode: 'open' });
    applyStyles(this.root);
    this.root.append(this.body, this.status);
  }

  get api(): string {
    return (this.getAttribute('api') || SCRIPT_ORIGIN).replace(/\/+$/, '');
  }

  get locale(): string {
    return this.getAttribute('locale') || document.documentElement.lang || navigator.language || 'en-US';
  }

  connectedCallback(): void {
    void this.load();
  }

  disconnectedCallback(): void {
    this.stop();
  }

  attributeChangedCallback(_name: string, before: string | null, after: string | null): void {
    if (before !== after && this.isConnected) void this.load();
  }

  private stop(): void {
    this.generation += 1;
    this.source?.close();
    this.source = null;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
  }

  private async load(): Promise<void> {
    this.stop();
    const generation = this.generation;
    const slug = this.getAttribute('campaign');
    if (!slug) {
      this.status.textContent = 'Set the campaign attribute, e.g. campaign="support".';
      return;
    }
    const path = `/v1/campaigns/${encodeURIComponent(slug)}`;
    try {
      const response = await fetch(`${this.api}${path}`, { headers: { Accept: 'application/json' } });
      const answer = await response.json();
      if (generation !== this.generation) return;
      if (!response.ok) {
        this.status.textContent = problemMessage(answer, 'This campaign cannot be shown right now.');
        return;
      }
      const campaign = answer as PublicCampaign;
      this.status.textContent = '';
      this.bar.setAttribute('aria-label', campaign.name);
      this.showDonateForm(campaign, path);
      this.show(campaign.progress);
      this.listen(`${this.api}${path}/progress/stream`, generation);
    } catch {
      if (generation !== this.generation) return;
      this.status.textContent = 'Progress is unavailable right now; retrying shortly.';
      this.retry = setTimeout(() => void this.load(), RECONNECT_AFTER_MS);
    }
  }

  private showDonateForm(campaign: PublicCampaign, path: string): void {
    this.form?.element.remove();
    this.form = null;
    if (this.hasAttribute('hide-donate') || campaign.status !== 'active') return;
    this.form = new DonateForm(campaign, `${this.api}${path}/checkout`, this.locale, {
      successUrl: this.getAttribute('success-url'),
      cancelUrl: this.getAttribute('cancel-url'),
    });
    this.root.append(this.form.element);
  }

  private listen(url: string, generation: number): void {
    const source = new EventSource(url);
    this.source = source;
    source.addEventListener('progress', (event) => {
      this.show(JSON.parse((event as MessageEvent<string>).data) as Progress);
    });
    source.addEventListener('error', () => {
      // EventSource reconnects by itself unless the server refused the stream outright.
      if (source.readyState !== EventSource.CLOSED || generation !== this.generation) return;
      this.retry = setTimeout(() => {
        if (generation === this.generation) this.listen(url, generation);
      }, RECONNECT_AFTER_MS);
    });
  }

  /** Draws the figures; the bar's scale reaches the goal or the highest tier, whichever is more. */
  private show(progress: Progress): void {
    const { currency } = progress;
    const money = (amount: number) => formatAmount(amount, currency, this.locale);
    const scale = Math.max(progress.goal, ...progress.tiers.map((tier) => tier.amount));
    const at = (amount: number) => `${Math.min(100, (amount / scale) * 100)}%`;

    this.body.hidden = false;
    this.month.textContent = progress.period.label;
    fill(this.raised, h('strong', {}, money(progress.raised)), ` raised of ${money(progress.goal)}`);

    this.bar.setAttribute('aria-valuemax', String(majorUnits(scale, currency)));
    this.bar.setAttribute('aria-valuenow', String(majorUnits(Math.min(progress.raised, scale), currency)));
    this.bar.setAttribute('aria-valuetext', `${money(progress.raised)} raised of ${money(progress.goal)} (${progress.percent}%)`);
    this.fillBar.style.width = at(progress.raised);
    this.bar.querySelectorAll('.marker').forEach((marker) => marker.remove());
    for (const tier of progress.tiers) {
      if (tier.amount >= scale) continue;
      const marker = h('span', { class: tier.reached ? 'marker reached' : 'marker', title: tier.label });
      marker.style.left = at(tier.amount);
      this.bar.append(marker);
    }

    const stops = [...new Set([0, ...progress.tiers.map((tier) => tier.amount), progress.goal])].sort((a, b) => a - b);
    fill(
      this.ticks,
      stops.map((amount) => {
        const tick = h('li', {}, money(amount));
        tick.style.left = at(amount);
        return tick;
      }),
    );

    const next = progress.next_tier;
    this.next.textContent = next
      ? `Next: ${next.label} at ${money(next.amount)} — ${money(next.remaining)} to go`
      : progress.raised >= progress.goal
        ? 'Goal reached — thank you!'
        : `${money(progress.goal - progress.raised)} to the goal`;
    fill(
      this.tiers,
      progress.tiers.map((tier) =>
        h(
          'li',
          { class: tier.reached ? 'reached' : '' },
          `${money(tier.amount)} · ${tier.label}`,
          h('span', { class: 'visually-hidden' }, tier.reached ? ' (reached)' : ' (not reached yet)'),
        ),
      ),
    );
    this.dispatchEvent(new CustomEvent('goalpost-progress', { detail: progress, bubbles: true, composed: true }));
  }
}
