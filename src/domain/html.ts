/**
 * HTML built only through the `html` tag: every interpolated value is escaped unless it is
 * already `Html` (the output of another `html` call), so a template cannot forget to escape.
 */
export class Html {
  constructor(readonly source: string) {}
  toString(): string {
    return this.source;
  }
}

export type HtmlValue = Html | string | number | null | undefined | false | readonly HtmlValue[];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

function render(value: HtmlValue): string {
  if (value instanceof Html) return value.source;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let source = strings[0]!;
  values.forEach((value, index) => {
    source += render(value) + strings[index + 1]!;
  });
  return new Html(source);
}

/** Escaped text whose line breaks survive (addresses, donor messages). */
export function multiline(text: string): Html {
  return new Html(text.split(/\r?\n/).map(escapeHtml).join('<br>'));
}
