import type Stripe from 'stripe';
import { invalidRequest, resourceMissing } from './errors.js';
import type { Params } from './params.js';

/** Stripe's cursor pagination over a newest-first list: `limit`, `starting_after`, `ending_before`. */
export function paginate<T extends { id: string }>(objects: T[], params: Params, url: string): Stripe.ApiList<T> {
  const limit = params.integer('limit', 1) ?? 10;
  if (limit > 100) throw invalidRequest('This value must be less than or equal to 100.', 'limit');
  const after = params.string('starting_after');
  const before = params.string('ending_before');
  const position = (id: string, param: string) => {
    const index = objects.findIndex((object) => object.id === id);
    if (index === -1) throw resourceMissing('object', id, param);
    return index;
  };
  if (before) {
    const end = position(before, 'ending_before');
    const start = Math.max(0, end - limit);
    return { object: 'list', data: objects.slice(start, end), has_more: start > 0, url };
  }
  const start = after ? position(after, 'starting_after') + 1 : 0;
  return { object: 'list', data: objects.slice(start, start + limit), has_more: objects.length > start + limit, url };
}

/** `created=<ts>` or `created[gt|gte|lt|lte]=<ts>`. */
export function createdFilter(params: Params): (created: number) => boolean {
  if (!params.has('created')) return () => true;
  if (!params.isObject('created')) {
    const exact = params.integer('created');
    return (created) => created === exact;
  }
  const range = params.object('created').allowOnly(['gt', 'gte', 'lt', 'lte']);
  const gt = range.integer('gt');
  const gte = range.integer('gte');
  const lt = range.integer('lt');
  const lte = range.integer('lte');
  return (created) =>
    (gt === undefined || created > gt) &&
    (gte === undefined || created >= gte) &&
    (lt === undefined || created < lt) &&
    (lte === undefined || created <= lte);
}
