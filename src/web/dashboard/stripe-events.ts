import { fill, h } from '../shared/dom.js';
import { type Api, isMissingRoute } from './api.js';
import { confirmAction, row, showError, table, toast, when } from './ui.js';
import type { Row } from '../shared/api.js';

/** One row of GET /v1/admin/stripe-events. */
type StripeEvent = Row<'/v1/admin/stripe-events'>;

/** Incoming Stripe events whose processing failed, with replay for admin keys. */
export class StripeEventsPanel {
  readonly element = h('div', { 'aria-live': 'polite' });

  constructor(
    private readonly api: Api,
    private readonly canAct: boolean,
  ) {}

  async load(): Promise<void> {
    try {
      const page = await this.api.get<{ data: StripeEvent[] }>('/v1/admin/stripe-events', { status: 'failed', limit: 25 });
      const rows = page.data.map((event) =>
        row(
          h('code', {}, event.id),
          event.type,
          String(event.attempts),
          event.last_error ?? '—',
          when(event.received_at),
          this.canAct ? h('button', { type: 'button', class: 'secondary', onclick: () => void this.replay(event) }, 'Replay') : null,
        ),
      );
      fill(this.element, table('Failed Stripe events', ['Event', 'Type', 'Attempts', 'Last error', 'Received', ...(this.canAct ? ['Action'] : [])], rows, 'No failed Stripe events. Everything Stripe sent has been processed.'));
    } catch (error) {
      if (isMissingRoute(error)) fill(this.element, h('p', { class: 'empty' }, 'Stripe events are not available on this server yet.'));
      else showError(this.element, error);
    }
  }

  private async replay(event: StripeEvent): Promise<void> {
    const confirmed = await confirmAction({
      title: 'Replay this Stripe event?',
      body: [h('p', {}, `${event.type} (${event.id}) is queued again and applied to the ledger once; applying it twice changes nothing.`)],
      confirmLabel: 'Replay',
    });
    if (!confirmed) return;
    try {
      await this.api.post(`/v1/admin/stripe-events/${encodeURIComponent(event.id)}/replay`);
      toast(`${event.id} is queued again.`);
      await this.load();
    } catch (error) {
      toast(error instanceof Error ? error.message : String(error), 'error');
    }
  }
}
