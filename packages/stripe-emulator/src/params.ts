import { invalidRequest, missingParam, unknownParam } from './errors.js';
import type { FormObject, FormValue } from './form.js';

/**
 * Reads one level of Stripe form params with Stripe's own errors, naming the full bracket path
 * (`line_items[0][price_data][unit_amount]`) the way Stripe does.
 */
export class Params {
  constructor(
    private readonly values: FormObject,
    private readonly path = '',
  ) {}

  static of(value: FormValue | undefined, path: string): Params {
    if (value === undefined || value === '') return new Params({}, path);
    if (typeof value === 'string' || Array.isArray(value)) throw invalidRequest(`Invalid object`, path);
    return new Params(value, path);
  }

  name(key: string): string {
    return this.path ? `${this.path}[${key}]` : key;
  }

  has(key: string): boolean {
    return this.values[key] !== undefined;
  }

  isObject(key: string): boolean {
    const value = this.values[key];
    return typeof value === 'object' && !Array.isArray(value);
  }

  /** Rejects parameters this endpoint does not know, as Stripe does. */
  allowOnly(keys: readonly string[]): this {
    for (const key of Object.keys(this.values)) if (!keys.includes(key)) throw unknownParam(this.name(key));
    return this;
  }

  string(key: string): string | undefined {
    const value = this.values[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw invalidRequest(`Invalid string: ${this.name(key)}`, this.name(key));
    return value;
  }

  requiredString(key: string): string {
    const value = this.string(key);
    if (value === undefined || value === '') throw missingParam(this.name(key));
    return value;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[]): T | undefined {
    const value = this.string(key);
    if (value === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(value)) {
      throw invalidRequest(`Invalid ${this.name(key)}: must be one of ${allowed.join(', ')}`, this.name(key));
    }
    return value as T;
  }

  integer(key: string, min = 0): number | undefined {
    const value = this.string(key);
    if (value === undefined) return undefined;
    if (!/^-?\d+$/.test(value)) throw invalidRequest(`Invalid integer: ${value}`, this.name(key), 'parameter_invalid_integer');
    const number = Number(value);
    if (number < min) throw invalidRequest(`This value must be greater than or equal to ${min}.`, this.name(key));
    return number;
  }

  boolean(key: string): boolean | undefined {
    const value = this.string(key);
    if (value === undefined) return undefined;
    if (value !== 'true' && value !== 'false') throw invalidRequest(`Invalid boolean: ${value}`, this.name(key));
    return value === 'true';
  }

  object(key: string): Params {
    return Params.of(this.values[key], this.name(key));
  }

  list(key: string): Params[] {
    const value = this.values[key];
    if (value === undefined || value === '') return [];
    if (!Array.isArray(value)) throw invalidRequest(`Invalid array`, this.name(key));
    return value.map((item, index) => Params.of(item, `${this.name(key)}[${index}]`));
  }

  strings(key: string): string[] {
    const value = this.values[key];
    if (value === undefined || value === '') return [];
    const list = Array.isArray(value) ? value : [value];
    return list.map((item, index) => {
      if (typeof item !== 'string') throw invalidRequest(`Invalid string`, `${this.name(key)}[${index}]`);
      return item;
    });
  }

  /** Stripe's metadata limits: 50 keys, keys up to 40 characters, values up to 500. */
  metadata(key = 'metadata'): Record<string, string> {
    const params = this.object(key);
    const metadata: Record<string, string> = {};
    const entries = Object.entries(params.values);
    if (entries.length > 50) throw invalidRequest('You can specify up to 50 keys in metadata.', this.name(key));
    for (const [name, value] of entries) {
      if (typeof value !== 'string') throw invalidRequest('Invalid metadata value', params.name(name));
      if (name.length > 40) throw invalidRequest('Metadata keys can be at most 40 characters long.', params.name(name));
      if (value.length > 500) throw invalidRequest('Metadata values can have up to 500 characters.', params.name(name));
      // An empty value unsets a key.
      if (value !== '') metadata[name] = value;
    }
    return metadata;
  }
}
