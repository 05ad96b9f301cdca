import { fill, h, type Child } from '../shared/dom.js';

const toastRegion = h('div', { class: 'toast', role: 'status', 'aria-live': 'polite' });
let toastTimer: ReturnType<typeof setTimeout> | undefined;

export function toastElement(): HTMLElement {
  return toastRegion;
}

export function toast(message: string, kind: 'ok' | 'error' = 'ok'): void {
  toastRegion.className = `toast ${kind}`;
  toastRegion.textContent = message;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (toastRegion.textContent = ''), 8_000);
}

/**
 * A modal confirmation (native <dialog>: focus is trapped and Escape cancels). Resolves with
 * the form's values when confirmed, null when cancelled.
 */
export function confirmAction(options: {
  title: string;
  body: Child[];
  confirmLabel: string;
  fields?: HTMLElement[];
  danger?: boolean;
}): Promise<FormData | null> {
  return new Promise((resolve) => {
    const form = h(
      'form',
      { method: 'dialog' },
      h('h2', { id: 'confirm-title' }, options.title),
      h('div', { class: 'dialog-body' }, options.body),
      options.fields ?? [],
      h(
        'div',
        { class: 'dialog-actions' },
        h('button', { type: 'submit', value: 'cancel', class: 'secondary', formnovalidate: true }, 'Cancel'),
        h('button', { type: 'submit', value: 'confirm', class: options.danger ? 'danger' : '' }, options.confirmLabel),
      ),
    );
    const dialog = h('dialog', { 'aria-labelledby': 'confirm-title' }, form);
    dialog.addEventListener('close', () => {
      const confirmed = dialog.returnValue === 'confirm';
      const values = new FormData(form);
      dialog.remove();
      resolve(confirmed ? values : null);
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}

/** A table with a caption and header row; rows are built by the caller. */
export function table(caption: string, headers: string[], rows: HTMLTableRowElement[], empty: string): HTMLElement {
  if (!rows.length) return h('p', { class: 'empty' }, empty);
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      {},
      h('caption', { class: 'visually-hidden' }, caption),
      h('thead', {}, h('tr', {}, headers.map((header) => h('th', { scope: 'col' }, header)))),
      h('tbody', {}, rows),
    ),
  );
}

export function row(...cells: Child[]): HTMLTableRowElement {
  return h('tr', {}, cells.map((cell) => h('td', {}, cell)));
}

export function showError(container: Element, error: unknown): void {
  fill(container, h('p', { class: 'error', role: 'alert' }, error instanceof Error ? error.message : String(error)));
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function when(iso: string | null | undefined): string {
  return iso ? dateTime.format(new Date(iso)) : '—';
}
