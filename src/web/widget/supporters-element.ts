import { fill, h } from '../shared/dom.js';
import { formatAmount } from '../shared/money.js';
import { widgetLocale, widgetTranslator } from './language.js';

/** Where the script was loaded from (read while the script runs): the API lives there unless `api` says otherwise. */
const SCRIPT_ORIGIN = (() => {
  const src = (document.currentScript as HTMLScriptElement | null)?.src;
  return src ? new URL(src).origin : location.origin;
})();

/** After the stream was refused or lost for good, listen again this much later. */
const RECONNECT_AFTER_MS = 30_000;

const SUPPORTERS_CSS = `
:host { display: block; font: inherit; color: inherit; }
ul { list-style: none; margin: 0; padding: 0; }
li { padding: .5em 0; border-bottom: 1px solid color-mix(in srgb, currentColor 15%, transparent); }
.name { font-weight: 600; }
.amount { margin-left: .5em; opacity: .8; }
.message { margin: .25em 0 0; overflow-wrap: anywhere; }
`;

interface Supporter {
  name: string | null;
  message: string | null;
  amount?: number;
  currency?: string;
  created_at: string;
}

/**
 * `<goalpost-supporters campaign="support" [limit="10"] [api="https://donate.example"] [lang="fr"]>`:
 * the campaign's donor wall (GET /v1/campaigns/:slug/supporters), newest first, refreshed live
 * whenever the campaign's progress changes (its Server-Sent Events stream). Names and messages
 * are inserted as text, never as HTML.
 */
export class GoalpostSupportersElement extends HTMLElement {
  static observedAttributes = ['campaign', 'api', 'limit', 'locale', 'lang'];

  private readonly list = h('ul', { part: 'list', 'aria-live': 'polite' });
  private source: EventSource | null = null;
  private retry: ReturnType<typeof setTimeout> | null = null;
  private generation = 0;

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    root.append(h('style', {}, SUPPORTERS_CSS), this.list);
  }

  private get api(): string {
    return (this.getAttribute('api') || SCRIPT_ORIGIN).replace(/\/$/, '');
  }

  private get locale(): string {
    return widgetLocale(this);
  }

  private get limit(): number {
    const limit = Number(this.getAttribute('limit'));
    return Number.isInteger(limit) && limit >= 1 && limit <= 100 ? limit : 10;
  }

  connectedCallback(): void {
    this.start();
  }

  disconnectedCallback(): void {
    this.stop();
  }

  attributeChangedCallback(): void {
    if (this.isConnected) this.start();
  }

  private stop(): void {
    this.generation += 1;
    this.source?.close();
    this.source = null;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
  }

  private start(): void {
    this.stop();
    const campaign = this.getAttribute('campaign');
    if (!campaign) return;
    const path = `${this.api}/v1/campaigns/${encodeURIComponent(campaign)}`;
    const generation = this.generation;
    void this.refresh(path, generation);
    this.listen(path, generation);
  }

  /** Every progress event means money moved: someone may have joined (or left) the wall. */
  private listen(path: string, generation: number): void {
    const source = new EventSource(`${path}/progress/stream`);
    this.source = source;
    source.addEventListener('progress', () => void this.refresh(path, generation));
    source.addEventListener('error', () => {
      if (source.readyState !== EventSource.CLOSED || generation !== this.generation) return;
      this.retry = setTimeout(() => {
        if (generation === this.generation) this.listen(path, generation);
      }, RECONNECT_AFTER_MS);
    });
  }

  private async refresh(path: string, generation: number): Promise<void> {
    try {
      // no-cache: after a progress event the wall has changed, whatever the browser cached moments ago.
      const response = await fetch(`${path}/supporters?limit=${this.limit}`, { headers: { Accept: 'application/json' }, cache: 'no-cache' });
      if (!response.ok || generation !== this.generation) return;
      const { data } = (await response.json()) as { data: Supporter[] };
      if (generation === this.generation) this.show(data);
    } catch {
      // Offline for a moment: the wall keeps what it showed, and the next event refreshes it.
    }
  }

  private show(supporters: Supporter[]): void {
    fill(
      this.list,
      supporters.map((supporter) =>
        h(
          'li',
          { part: 'supporter' },
          h('span', { class: 'name', part: 'name' }, supporter.name ?? widgetTranslator(this)('supporters.anonymous')),
          supporter.amount !== undefined && supporter.currency
            ? h('span', { class: 'amount', part: 'amount' }, formatAmount(supporter.amount, supporter.currency, this.locale))
            : null,
          supporter.message ? h('p', { class: 'message', part: 'message' }, supporter.message) : null,
        ),
      ),
    );
    this.dispatchEvent(new CustomEvent('goalpost-supporters', { detail: supporters }));
  }
}
