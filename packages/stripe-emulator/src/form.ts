/**
 * Stripe's request encoding: `application/x-www-form-urlencoded` with bracket paths, e.g.
 * `line_items[0][price_data][currency]=usd`, `metadata[key]=value`, `expand[]=payment_intent`.
 * Leaves stay strings, as Stripe receives them; the params readers coerce and validate.
 */
export type FormValue = string | FormObject | FormValue[];
export interface FormObject {
  [key: string]: FormValue;
}

function pathOf(key: string): string[] {
  const first = key.indexOf('[');
  if (first === -1) return [key];
  const segments = [key.slice(0, first)];
  for (const match of key.slice(first).matchAll(/\[([^\]]*)\]/g)) segments.push(match[1]!);
  return segments;
}

function assign(target: FormObject, path: string[], value: string): void {
  let node: FormObject = target;
  path.forEach((segment, index) => {
    const last = index === path.length - 1;
    // `expand[]=a&expand[]=b` appends: give each an index of its own.
    const key = segment === '' ? String(Object.keys(node).length) : segment;
    if (last) {
      node[key] = value;
      return;
    }
    const next = node[key];
    if (typeof next !== 'object' || Array.isArray(next)) node[key] = {};
    node = node[key] as FormObject;
  });
}

/** Objects whose keys are all 0..n-1 were arrays on the client side. */
function arraysFromIndexedObjects(value: FormValue): FormValue {
  if (typeof value === 'string' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  const converted: FormObject = {};
  for (const key of keys) converted[key] = arraysFromIndexedObjects(value[key]!);
  const isList = keys.length > 0 && keys.every((key) => /^\d+$/.test(key));
  if (!isList) return converted;
  return keys
    .map(Number)
    .sort((a, b) => a - b)
    .map((index) => converted[String(index)]!);
}

export function parseStripeForm(encoded: string): FormObject {
  const root: FormObject = {};
  for (const [key, value] of new URLSearchParams(encoded)) assign(root, pathOf(key), value);
  const parsed: FormObject = {};
  for (const [key, value] of Object.entries(root)) parsed[key] = arraysFromIndexedObjects(value);
  return parsed;
}
