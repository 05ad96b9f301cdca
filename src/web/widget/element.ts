import { monthLabel, type Translate } from '../../domain/i18n/languages.js';
import type { WidgetMessage } from '../../domain/i18n/widget-messages.js';
import { fill, h } from '../shared/dom.js';
import { formatAmount, majorUnits } from '../shared/money.js';
import { problemMessage, type Progress, type PublicCampaign } from '../shared/types.js';
import { pageAttribution } from './attribution.js';
import { DonateForm, fieldsOf } from './donate-form.js';
import { WIDGET_CSS } from './styles.js';
import { widgetLanguage, widgetLocale, widgetTranslator } from './language.js';

/** Where the script was loaded from: the API lives there unless the element says otherwise. */
const SCRIPT_ORIGIN = (() => {
  const src = (document.currentScript as HTMLScriptElement | null)?.src;
  return src ? new URL(src).origin : location.origin;
})();

/** After the campaign could not be loaded, try again this much later. */
const RECONNECT_AFTER_MS = 30_000;
/** A stream that fails this many times in a row (without staying up a minute or delivering) is given up for polling. */
const STREAM_FAILURES_BEFORE_POLLING = 3;
const STREAM_HEALTHY_AFTER_MS = 60_000;
/** Polling never runs faster than this, nor faster than the answer's max-age. */
const MIN_POLL_MS = 5_000;
/** After giving up a stream, polling tries it again this much later (a full replica, a deploy, a flaky network). */
const STREAM_AGAIN_AFTER_MS = 5 * 60_000;

/** The next poll: the answer's freshness lifetime (at least MIN_POLL_MS), spread by up to half again. */
function pollDelay(cacheControl: string | null): number {
  const maxAge = Number(/(?:^|,)\s*max-age=(\d+)/.exec(cacheControl ?? '')?.[1] ?? 0) * 1000;
  return Math.max(MIN_POLL_MS, maxAge) * (1 + Math.random() / 2);
}

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
 * `<goalpost-progress campaign="support" [api="https://donate.example"] [hide-donate] [lang="fr"]
 * [fields="email name message anonymous cover-fee"] [show-pledged] [source="front-page"]>`:
 * the month's bar with its tiers, live over Server-Sent Events, and a donate form. The checkout
 * carries the donation's attribution: `source` from the attribute (or else the page's
 * `?source=`), `utm_source`/`utm_medium`/`utm_campaign` from the page's address (see
 * attribution.ts). With
 * `show-pledged`, what monthly donors are still due to give this month follows the raised part
 * of the bar as a lighter segment. Where streams
 * do not work (no EventSource, a proxy that blocks or buffers them, a server at its stream cap)
 * the bar polls the progress read instead, revalidating with If-None-Match, and looks the same.
 * Fires `goalpost-progress` (detail: the progress) whenever the figures change.
 */
export class GoalpostProgressElement extends HTMLElement {
  static observedAttributes = ['campaign', 'api', 'hide-donate', 'locale', 'lang', 'fields', 'show-pledged'];

  private readonly root: ShadowRoot;
  private source: EventSource | null = null;
  private retry: ReturnType<typeof setTimeout> | null = null;
  private generation = 0;

  private readonly month = h('p', { class: 'month', part: 'month' });
  private readonly raised = h('p', { class: 'raised', part: 'raised' });
  private readonly fillBar = h('div', { class: 'fill', part: 'fill' });
  private readonly pledgedBar = h('div', { class: 'pledged-fill', part: 'pledged-fill', hidden: true });
  private readonly pledged = h('p', { class: 'pledged', part: 'pledged', hidden: true });
  private readonly bar = h('div', { class: 'bar', part: 'bar', role: 'progressbar', 'aria-valuemin': 0 }, this.fillBar, this.pledgedBar);
  private readonly ticks = h('ol', { class: 'ticks', part: 'ticks', 'aria-hidden': 'true' });
  private readonly next = h('p', { class: 'next', part: 'next' });
  private readonly tiers = h('ul', { class: 'tiers', part: 'tiers' });
  private readonly status = h('p', { class: 'status', role: 'status' });
  private readonly body = h('div', { part: 'body', hidden: true }, this.month, this.raised, this.pledged, this.bar, this.ticks, this.next, this.tiers);
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
    return widgetLocale(this);
  }

  get language() {
    return widgetLanguage(this);
  }

  private get t(): Translate<WidgetMessage> {
    return widgetTranslator(this);
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
      this.status.textContent = this.t('status.no_campaign');
      return;
    }
    const path = `/v1/campaigns/${encodeURIComponent(slug)}`;
    try {
      const response = await fetch(`${this.api}${path}`, { headers: { Accept: 'application/json' } });
      const answer = await response.json();
      if (generation !== this.generation) return;
      if (!response.ok) {
        this.status.textContent = problemMessage(answer, this.t('status.unavailable'));
        return;
      }
      const campaign = answer as PublicCampaign;
      this.status.textContent = '';
      this.bar.setAttribute('aria-label', campaign.name);
      this.showDonateForm(campaign, path);
      this.show(campaign.progress);
      this.listen(path, generation);
    } catch {
      if (generation !== this.generation) return;
      this.status.textContent = this.t('status.retrying');
      this.retry = setTimeout(() => void this.load(), RECONNECT_AFTER_MS);
    }
  }

  private showDonateForm(campaign: PublicCampaign, path: string): void {
    this.form?.element.remove();
    this.form = null;
    if (this.hasAttribute('hide-donate') || campaign.status !== 'active') return;
    this.form = new DonateForm(campaign, {
      checkoutUrl: `${this.api}${path}/checkout`,
      language: this.language,
      locale: this.locale,
      fields: fieldsOf(this.getAttribute('fields')),
      redirects: { successUrl: this.getAttribute('success-url'), cancelUrl: this.getAttribute('cancel-url') },
      attribution: () => pageAttribution(this.getAttribute('source'), location.search),
    });
    this.root.append(this.form.element);
  }

  private listen(path: string, generation: number): void {
    this.retry = null;
    if (typeof EventSource !== 'function') return this.poll(path, generation);
    const source = new EventSource(`${this.api}${path}/progress/stream`);
    this.source = source;
    let failures = 0;
    let openedAt = 0;
    source.addEventListener('open', () => (openedAt = Date.now()));
    source.addEventListener('progress', (event) => {
      failures = 0;
      this.show(JSON.parse((event as MessageEvent<string>).data) as Progress);
    });
    source.addEventListener('error', () => {
      if (generation !== this.generation) return;
      // A stream that stayed up a while and then dropped (a deploy) is fine: EventSource reconnects.
      if (openedAt && Date.now() - openedAt > STREAM_HEALTHY_AFTER_MS) failures = 0;
      openedAt = 0;
      failures += 1;
      if (source.readyState !== EventSource.CLOSED && failures < STREAM_FAILURES_BEFORE_POLLING) return;
      source.close();
      this.source = null;
      this.poll(path, generation, Date.now() + STREAM_AGAIN_AFTER_MS);
    });
  }

  /**
   * Reads the progress every few seconds. `cache: 'no-cache'` makes the browser revalidate its
   * copy with If-None-Match (no CORS preflight, unlike setting the header by hand), so an
   * unchanged bar costs a 304 that a CDN can answer; an unchanged ETag is not redrawn. With
   * `streamAgainAt`, the stream is tried again from then on.
   */
  private poll(path: string, generation: number, streamAgainAt = Infinity): void {
    let etag: string | null = null;
    const read = async () => {
      let delay = MIN_POLL_MS;
      try {
        const response = await fetch(`${this.api}${path}/progress`, { cache: 'no-cache', headers: { Accept: 'application/json' } });
        if (generation !== this.generation) return;
        delay = pollDelay(response.headers.get('Cache-Control'));
        if (response.ok && response.headers.get('ETag') !== etag) {
          etag = response.headers.get('ETag');
          this.show((await response.json()) as Progress);
        }
      } catch {
        // Offline for a moment: the bar keeps its last figures and the next poll tries again.
      }
      if (generation !== this.generation) return;
      if (Date.now() >= streamAgainAt) this.listen(path, generation);
      else this.retry = setTimeout(() => void read(), delay);
    };
    this.retry = setTimeout(() => void read(), pollDelay(null));
  }

  /** Draws the figures; the bar's scale reaches the goal or the highest tier, whichever is more. */
  private show(progress: Progress): void {
    const { currency } = progress;
    const { t, locale } = this;
    const money = (amount: number) => formatAmount(amount, currency, locale);
    const scale = Math.max(progress.goal, ...progress.tiers.map((tier) => tier.amount));
    const at = (amount: number) => `${Math.min(100, (amount / scale) * 100)}%`;

    this.body.hidden = false;
    // The read's label is English by contract; the widget names the month in its own language.
    // A total goal's period has no month to name (its key is not YYYY-MM).
    this.month.textContent = progress.period.type === 'monthly' ? monthLabel(progress.period.key, this.language) : this.t('progress.all_time');
    // The sentence is the translator's, with the raised amount emphasised wherever it falls.
    const [before = '', after = ''] = t('progress.raised', { raised: '\u0000', goal: money(progress.goal) }).split('\u0000');
    fill(this.raised, before, h('strong', {}, money(progress.raised)), after);

    this.bar.setAttribute('aria-valuemax', String(majorUnits(scale, currency)));
    this.bar.setAttribute('aria-valuenow', String(majorUnits(Math.min(progress.raised, scale), currency)));
    this.bar.setAttribute('aria-valuetext', t('progress.valuetext', { raised: money(progress.raised), goal: money(progress.goal), percent: progress.percent }));
    this.fillBar.style.width = at(progress.raised);
    this.showPledged(progress, at, money);
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
      ? t('progress.next_tier', { label: next.label, amount: money(next.amount), remaining: money(next.remaining) })
      : progress.raised >= progress.goal
        ? t('progress.goal_reached')
        : t('progress.to_goal', { remaining: money(progress.goal - progress.raised) });
    fill(
      this.tiers,
      progress.tiers.map((tier) =>
        h(
          'li',
          { class: tier.reached ? 'reached' : '' },
          `${money(tier.amount)} · ${tier.label}`,
          h('span', { class: 'visually-hidden' }, t('progress.tier_state', { reached: tier.reached ? 'yes' : 'no' })),
        ),
      ),
    );
    this.dispatchEvent(new CustomEvent('goalpost-progress', { detail: progress, bubbles: true, composed: true }));
  }

  /**
   * The pledged segment (only when the page asks with `show-pledged`, and something is pledged):
   * drawn after raised, never counted in it; its sentence is both visible and added to the bar's
   * aria-valuetext, so a screen reader hears what the lighter part means.
   */
  private showPledged(progress: Progress, at: (amount: number) => string, money: (amount: number) => string): void {
    const pledged = this.hasAttribute('show-pledged') ? (progress.pledged ?? 0) : 0;
    this.pledgedBar.hidden = this.pledged.hidden = pledged <= 0;
    if (pledged <= 0) return;
    const sentence = this.t('progress.pledged', { pledged: money(pledged) });
    this.pledged.textContent = `+ ${sentence}`;
    this.pledgedBar.style.left = at(progress.raised);
    this.pledgedBar.style.width = `calc(${at(progress.raised + pledged)} - ${at(progress.raised)})`;
    this.bar.setAttribute('aria-valuetext', `${this.bar.getAttribute('aria-valuetext')}; ${sentence}`);
  }
}
