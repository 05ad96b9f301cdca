import { fill, h, type Child } from '../shared/dom.js';
import type { Problem } from '../shared/types.js';
import { ApiError } from './api.js';

export type FieldError = Problem['errors'][number];
export type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement | HTMLButtonElement;

/** Where a field path of the API (`tiers.1.amount`) is shown: the control, and words that say which part of it. */
export interface FieldPlace {
  control: Control;
  prefix?: string;
}

const errorId = (control: Control) => `${control.id}-error`;
const hintId = (control: Control) => `${control.id}-hint`;

/**
 * A labelled control with its hint and an (empty) error line under it. The hint is always
 * read with the control; the error joins it through aria-describedby while there is one.
 */
export function labelled(label: Child | Child[], control: Control, hint?: string, extraClass = ''): HTMLElement {
  if (hint) control.setAttribute('aria-describedby', hintId(control));
  const isCheckbox = control instanceof HTMLInputElement && control.type === 'checkbox';
  return h(
    'div',
    { class: `field${isCheckbox ? ' check' : ''}${extraClass ? ` ${extraClass}` : ''}` },
    isCheckbox ? h('label', { for: control.id }, control, ' ', label) : h('label', { for: control.id }, label),
    isCheckbox ? null : control,
    hint ? h('p', { class: 'hint', id: hintId(control) }, hint) : null,
    h('p', { class: 'field-error', id: errorId(control) }),
  );
}

/**
 * Problem details shown where they belong: each field error beside its control (aria-invalid,
 * aria-describedby), the rest with the problem's detail in the form's alert, and focus moved
 * to the first invalid control so a keyboard or screen-reader user lands on it.
 */
export class FormErrors {
  readonly summary = h('div', { class: 'form-problem', role: 'alert', tabindex: -1 });
  private marked: Control[] = [];

  constructor(private readonly locate: (field: string) => FieldPlace | undefined) {}

  clear(): void {
    for (const control of this.marked) {
      control.removeAttribute('aria-invalid');
      const described = (control.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => id && id !== errorId(control));
      if (described.length) control.setAttribute('aria-describedby', described.join(' '));
      else control.removeAttribute('aria-describedby');
      const line = document.getElementById(errorId(control));
      if (line) line.textContent = '';
    }
    this.marked = [];
    fill(this.summary);
  }

  /** Shows an API failure: a problem's field errors beside their fields, anything else in the alert. */
  showFailure(failure: unknown): void {
    if (failure instanceof ApiError) this.show(failure.problem?.detail ?? failure.message, failure.problem?.errors ?? []);
    else this.show(failure instanceof Error ? failure.message : String(failure), []);
  }

  show(detail: string, errors: FieldError[]): void {
    this.clear();
    const byControl = new Map<Control, string[]>();
    const elsewhere: string[] = [];
    for (const error of errors) {
      const place = this.locate(error.field);
      if (!place) {
        elsewhere.push(`${error.field}: ${error.message}`);
        continue;
      }
      const messages = byControl.get(place.control) ?? [];
      messages.push(place.prefix ? `${place.prefix}: ${error.message}` : error.message);
      byControl.set(place.control, messages);
    }
    for (const [control, messages] of byControl) {
      const line = document.getElementById(errorId(control));
      if (line) line.textContent = messages.join('; ');
      control.setAttribute('aria-invalid', 'true');
      const described = (control.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
      control.setAttribute('aria-describedby', [...described, errorId(control)].join(' '));
      this.marked.push(control);
    }
    fill(
      this.summary,
      h('p', {}, detail, byControl.size ? ' The fields marked below need attention.' : ''),
      elsewhere.length ? h('ul', {}, elsewhere.map((message) => h('li', {}, message))) : null,
    );
    const first = [...byControl.keys()].sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1))[0];
    (first ?? this.summary).focus();
  }
}
