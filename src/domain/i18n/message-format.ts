/**
 * A small ICU MessageFormat formatter (the subset our catalogues use), so translators write whole
 * sentences with their own word order and plural rules instead of us concatenating fragments:
 *
 * - `{name}` inserts an argument (numbers through `Intl.NumberFormat` of the language);
 * - `{count, number}` formats a number;
 * - `{count, plural, =0 {none} one {# month} other {# months}}` picks by exact value, then by
 *   `Intl.PluralRules` of the language; `#` is the number, formatted;
 * - `{kind, select, monthly {...} other {...}}` picks by value;
 * - apostrophes quote as ICU's default (DOUBLE_OPTIONAL): `'{'` is a literal brace, `''` one
 *   apostrophe, and any other apostrophe is itself (so French "l'organisation" needs no escape).
 *
 * Pure and dependency-free: the widget bundles it, the server formats mails with it.
 */

export type MessageValues = Readonly<Record<string, string | number>>;

type Part =
  | { kind: 'text'; text: string }
  | { kind: 'argument'; name: string }
  | { kind: 'number'; name: string }
  | { kind: 'pound' }
  | { kind: 'plural'; name: string; cases: Map<string, Part[]> }
  | { kind: 'select'; name: string; cases: Map<string, Part[]> };

export class MessageFormatError extends Error {
  override name = 'MessageFormatError';
}

class Parser {
  private at = 0;

  constructor(private readonly source: string) {}

  parse(): Part[] {
    const parts = this.message(false);
    if (this.at < this.source.length) this.fail('unmatched }');
    return parts;
  }

  private fail(reason: string): never {
    throw new MessageFormatError(`${reason} at ${this.at} in "${this.source}"`);
  }

  /** Text and arguments up to an unmatched `}` (left for the caller) or the end. */
  private message(inPlural: boolean): Part[] {
    const parts: Part[] = [];
    let text = '';
    const flush = () => {
      if (text) parts.push({ kind: 'text', text });
      text = '';
    };
    while (this.at < this.source.length) {
      const char = this.source[this.at]!;
      if (char === '}') break;
      if (char === '{') {
        flush();
        parts.push(this.argument(inPlural));
      } else if (char === '#' && inPlural) {
        flush();
        parts.push({ kind: 'pound' });
        this.at += 1;
      } else if (char === "'") {
        text += this.quoted(inPlural);
      } else {
        text += char;
        this.at += 1;
      }
    }
    flush();
    return parts;
  }

  /** An apostrophe: `''` is one; before a syntax character it quotes up to the next lone apostrophe. */
  private quoted(inPlural: boolean): string {
    const next = this.source[this.at + 1];
    if (next === "'") {
      this.at += 2;
      return "'";
    }
    if (next !== '{' && next !== '}' && !(inPlural && next === '#')) {
      this.at += 1;
      return "'";
    }
    let text = '';
    this.at += 1;
    while (this.at < this.source.length) {
      const char = this.source[this.at]!;
      if (char === "'" && this.source[this.at + 1] === "'") {
        text += "'";
        this.at += 2;
      } else if (char === "'") {
        this.at += 1;
        return text;
      } else {
        text += char;
        this.at += 1;
      }
    }
    return text;
  }

  private skipSpace(): void {
    while (/\s/.test(this.source[this.at] ?? '')) this.at += 1;
  }

  private word(): string {
    this.skipSpace();
    const match = /^[^\s{},#']+/.exec(this.source.slice(this.at));
    if (!match) this.fail('expected a name');
    this.at += match[0].length;
    this.skipSpace();
    return match[0];
  }

  private expect(char: string): void {
    this.skipSpace();
    if (this.source[this.at] !== char) this.fail(`expected "${char}"`);
    this.at += 1;
  }

  /** `inPlural`: inside a plural case, where `#` (also in a select nested there) is the plural's number. */
  private argument(inPlural: boolean): Part {
    this.expect('{');
    const name = this.word();
    if (this.source[this.at] === '}') {
      this.at += 1;
      return { kind: 'argument', name };
    }
    this.expect(',');
    const type = this.word();
    if (type === 'number') {
      this.expect('}');
      return { kind: 'number', name };
    }
    if (type !== 'plural' && type !== 'select') this.fail(`unsupported argument type "${type}"`);
    this.expect(',');
    const cases = new Map<string, Part[]>();
    this.skipSpace();
    while (this.source[this.at] !== '}') {
      if (this.at >= this.source.length) this.fail('unterminated argument');
      const key = this.word();
      this.expect('{');
      cases.set(key, this.message(type === 'plural' || inPlural));
      this.expect('}');
      this.skipSpace();
    }
    this.at += 1;
    if (!cases.has('other')) this.fail(`${type} without an "other" case`);
    return { kind: type, name, cases };
  }
}

const parsed = new Map<string, Part[]>();

function parse(message: string): Part[] {
  let parts = parsed.get(message);
  if (!parts) {
    parts = new Parser(message).parse();
    parsed.set(message, parts);
  }
  return parts;
}

const numberFormats = new Map<string, Intl.NumberFormat>();
const pluralRules = new Map<string, Intl.PluralRules>();

function formatNumber(value: number, locale: string): string {
  let format = numberFormats.get(locale);
  if (!format) numberFormats.set(locale, (format = new Intl.NumberFormat(locale)));
  return format.format(value);
}

function pluralCategory(value: number, locale: string): string {
  let rules = pluralRules.get(locale);
  if (!rules) pluralRules.set(locale, (rules = new Intl.PluralRules(locale)));
  return rules.select(value);
}

function valueOf(values: MessageValues, name: string): string | number {
  const value = values[name];
  if (value === undefined) throw new MessageFormatError(`no value for "${name}"`);
  return value;
}

function render(parts: Part[], values: MessageValues, locale: string, pound: number | null): string {
  let out = '';
  for (const part of parts) {
    switch (part.kind) {
      case 'text':
        out += part.text;
        break;
      case 'pound':
        out += pound === null ? '#' : formatNumber(pound, locale);
        break;
      case 'argument':
      case 'number': {
        const value = valueOf(values, part.name);
        out += typeof value === 'number' ? formatNumber(value, locale) : value;
        break;
      }
      case 'plural': {
        const count = Number(valueOf(values, part.name));
        const chosen = part.cases.get(`=${count}`) ?? part.cases.get(pluralCategory(count, locale)) ?? part.cases.get('other')!;
        out += render(chosen, values, locale, count);
        break;
      }
      case 'select': {
        const chosen = part.cases.get(String(valueOf(values, part.name))) ?? part.cases.get('other')!;
        out += render(chosen, values, locale, pound);
        break;
      }
    }
  }
  return out;
}

/** The message with its arguments filled in for `locale` (a BCP 47 tag such as "fr" or "de-CH"). */
export function formatMessage(message: string, locale: string, values: MessageValues = {}): string {
  return render(parse(message), values, locale, null);
}

/** The argument names a message uses (to check that every translation asks for the same ones). */
export function messageArguments(message: string): Set<string> {
  const names = new Set<string>();
  const walk = (parts: Part[]) => {
    for (const part of parts) {
      if (part.kind === 'argument' || part.kind === 'number') names.add(part.name);
      if (part.kind === 'plural' || part.kind === 'select') {
        names.add(part.name);
        for (const inner of part.cases.values()) walk(inner);
      }
    }
  };
  walk(parse(message));
  return names;
}
