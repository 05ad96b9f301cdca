import { fill, h } from '../shared/dom.js';
import { type Api, isMissingRoute } from './api.js';
import { row, showError, table, toast, when } from './ui.js';
import type { ResponseBody, Row } from '../shared/api.js';

type Endpoint = Row<'/v1/admin/webhook-endpoints'>;
type Delivery = ResponseBody<'/v1/admin/webhook-endpoints/{id}/deliveries', 'get'>['data'][number];

/** Consumer webhook endpoints; each one's recent deliveries load when opened. */
export class WebhooksPanel {
  readonly element = h('div', {});

  constructor(
    private readonly api: Api,
    private readonly canAct: boolean,
  ) {}

  async load(): Promise<void> {
    try {
      const page = await this.api.get<{ data: Endpoint[] }>('/v1/admin/webhook-endpoints', { limit: 50 });
      if (!page.data.length) {
        fill(this.element, h('p', { class: 'empty' }, 'No webhook endpoints. Add one with POST /v1/admin/webhook-endpoints.'));
        return;
      }
      fill(this.element, page.data.map((endpoint) => this.endpoint(endpoint)));
    } catch (error) {
      if (isMissingRoute(error)) fill(this.element, h('p', { class: 'empty' }, 'Webhook endpoints are not available on this server yet.'));
      else showError(this.element, error);
    }
  }

  private endpoint(endpoint: Endpoint): HTMLElement {
    const deliveries = h('div', { 'aria-live': 'polite' }, 'Loading…');
    const details = h(
      'details',
      { class: 'endpoint' },
      h(
        'summary',
        {},
        h('code', {}, endpoint.url),
        ' ',
        h('span', { class: `badge ${endpoint.enabled ? 'succeeded' : 'failed'}` }, endpoint.enabled ? 'enabled' : 'disabled'),
        h('span', { class: 'muted' }, ` ${endpoint.events.join(', ')}`),
      ),
      endpoint.disabled_reason ? h('p', { class: 'error' }, `Disabled: ${endpoint.disabled_reason}`) : null,
      endpoint.description ? h('p', { class: 'muted' }, endpoint.description) : null,
      deliveries,
    );
    details.addEventListener('toggle', () => {
      if (details.open) void this.deliveries(endpoint, deliveries);
    });
    return details;
  }

  private async deliveries(endpoint: Endpoint, container: HTMLElement): Promise<void> {
    try {
      const page = await this.api.get<{ data: Delivery[] }>(`/v1/admin/webhook-endpoints/${encodeURIComponent(endpoint.id)}/deliveries`, { limit: 10 });
      const rows = page.data.map((delivery) =>
        row(
          delivery.event_type,
          h('span', { class: `badge ${delivery.status}` }, delivery.status),
          String(delivery.attempt_count),
          delivery.last_status_code ? String(delivery.last_status_code) : (delivery.last_error ?? '—'),
          when(delivery.updated_at),
          this.canAct && delivery.status === 'failed'
            ? h('button', { type: 'button', class: 'secondary', onclick: () => void this.retry(endpoint, delivery, container) }, 'Retry')
            : null,
        ),
      );
      fill(container, table(`Recent deliveries to ${endpoint.url}`, ['Event', 'Status', 'Attempts', 'Last answer', 'Updated', ''], rows, 'No deliveries yet.'));
    } catch (error) {
      showError(container, error);
    }
  }

  private async retry(endpoint: Endpoint, delivery: Delivery, container: HTMLElement): Promise<void> {
    try {
      await this.api.post(`/v1/admin/webhook-deliveries/${encodeURIComponent(delivery.id)}/retry`);
      toast(`Delivery ${delivery.id} is queued again.`);
      await this.deliveries(endpoint, container);
    } catch (error) {
      toast(error instanceof Error ? error.message : String(error), 'error');
    }
  }
}
