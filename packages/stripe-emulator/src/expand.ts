import type { EmulatorCore } from './core.js';
import { list } from './builders/common.js';

type Json = Record<string, unknown>;

/** Lists that Stripe only includes when asked (`expand[]=line_items`, `expand[]=payments`). */
function includable(core: EmulatorCore, target: Json, field: string): unknown {
  if (target.object === 'checkout.session' && field === 'line_items') {
    const extras = core.store.checkoutExtras.get(target.id as string);
    return list(extras?.lineItems ?? [], `/v1/checkout/sessions/${target.id}/line_items`);
  }
  if (target.object === 'invoice' && field === 'payments') {
    return list(core.store.list('invoice_payment', (payment) => payment.invoice === target.id), '/v1/invoice_payments');
  }
  return undefined;
}

function expandPath(core: EmulatorCore, target: unknown, path: string[]): void {
  if (!target || typeof target !== 'object' || path.length === 0) return;
  const node = target as Json;
  const [field, ...rest] = path as [string, ...string[]];
  if (node.object === 'list' && field === 'data') {
    for (const item of node.data as unknown[]) expandPath(core, item, rest);
    return;
  }
  const value = node[field];
  if (typeof value === 'string') {
    const found = core.store.find(value);
    if (found) node[field] = structuredClone(found);
  } else if (value === undefined) {
    const included = includable(core, node, field);
    if (included !== undefined) node[field] = included;
  }
  expandPath(core, node[field], rest);
}

/** Applies `expand[]` paths (`payment_intent`, `data.subscription`, `payments`) to a response copy. */
export function expandResponse<T>(core: EmulatorCore, body: T, paths: string[]): T {
  if (paths.length === 0) return body;
  const copy = structuredClone(body);
  for (const path of paths) expandPath(core, copy, path.split('.'));
  return copy;
}
