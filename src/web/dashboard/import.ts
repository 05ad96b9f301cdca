import { fill, h } from '../shared/dom.js';
import { formatAmount, parseAmount } from '../shared/money.js';
import type { ResponseBody } from '../shared/api.js';
import type { Api } from './api.js';
import { FormErrors, labelled, type Control } from './fields.js';
import { row, table, toast } from './ui.js';

/** The import's answer, as /openapi.json describes it (generated, never copied). */
type ImportAnswer = ResponseBody<'/v1/admin/campaigns/{slug}/offline-donations/import', 'post'>;
type ImportResult = ImportAnswer['results'][number];
type ImportSummary = ImportAnswer['summary'];

/** Rows listed on screen; a 100,000-row file is shown as counts plus its first problems. */
const LISTED_ROWS = 100;
const METHODS: [string, string][] = [
  ['check', 'Cheque'],
  ['bank_transfer', 'Bank transfer'],
  ['cash', 'Cash'],
  ['other', 'Other'],
];
const STATUS_WORDS: Record<ImportResult['status'], string> = { ok: 'ok', skipped: 'skipped (already imported)', error: 'error' };
const SUMMARY_PREFIX = '],"summary":';

/**
 * Reads the import's streamed answer as it arrives. The server writes one result per line
 * (`streamImport` in routes/admin-offline-donations.ts) inside one JSON document, so each line
 * is parsed alone and only the counts and the first rows are kept.
 */
async function readImport(response: Response, onResult: (result: ImportResult) => void): Promise<ImportSummary> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let pending = '';
  let summary: ImportSummary | null = null;
  const take = (line: string) => {
    const text = line.trim().replace(/^,|,$/g, '');
    if (text.startsWith('{"row"')) onResult(JSON.parse(text) as ImportResult);
    else if (text.startsWith(SUMMARY_PREFIX)) summary = JSON.parse(text.slice(SUMMARY_PREFIX.length, -1)) as ImportSummary;
  };
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    pending += value;
    const lines = pending.split('\n');
    pending = lines.pop()!;
    lines.forEach(take);
  }
  take(pending);
  if (!summary) throw new Error('The import answer ended early; rows reported ok are imported. Check the file again to see where it stopped.');
  return summary;
}

/**
 * Offline money for one campaign: record a single cheque or transfer, or import a CSV of past
 * donations with a dry run first. Admin keys only (the routes need one).
 */
export class OfflinePanel {
  readonly element: HTMLElement;

  constructor(
    private readonly api: Api,
    private readonly campaign: { slug: string; currency: string; timezone: string },
  ) {
    this.element = h(
      'div',
      { class: 'offline' },
      h('details', {}, h('summary', {}, 'Record one offline donation'), this.recordForm()),
      h('h3', {}, 'Import past donations (CSV)'),
      this.importForm(),
    );
  }

  private recordForm(): HTMLFormElement {
    const { currency } = this.campaign;
    const amount = h('input', { id: 'offline-amount', name: 'amount', type: 'text', inputmode: 'decimal', autocomplete: 'off' });
    const receivedAt = h('input', { id: 'offline-received-at', name: 'received_at', type: 'date', value: this.today() });
    const method = h('select', { id: 'offline-method', name: 'method' }, METHODS.map(([value, label]) => h('option', { value }, label)));
    const reference = h('input', { id: 'offline-reference', name: 'reference', type: 'text', autocomplete: 'off' });
    const donorName = h('input', { id: 'offline-donor-name', name: 'donor_name', type: 'text', autocomplete: 'off' });
    const donorEmail = h('input', { id: 'offline-donor-email', name: 'donor_email', type: 'email', autocomplete: 'off' });
    const sendReceipt = h('input', { id: 'offline-send-receipt', name: 'send_receipt', type: 'checkbox' });
    const places: Record<string, Control> = {
      amount,
      currency: amount,
      received_at: receivedAt,
      method,
      reference,
      'donor.name': donorName,
      'donor.email': donorEmail,
      send_receipt: sendReceipt,
    };
    const errors = new FormErrors((field) => (places[field] ? { control: places[field] } : undefined));
    const form = h(
      'form',
      { class: 'offline-record', novalidate: true, 'aria-label': 'Record one offline donation' },
      errors.summary,
      h(
        'div',
        { class: 'grid-2' },
        labelled(`Amount (${currency.toUpperCase()})`, amount),
        labelled('Received on', receivedAt, `The day the money arrived (${this.campaign.timezone}); it counts in that month.`),
        labelled('Method', method),
        labelled('Reference', reference, 'Cheque number or transfer reference; each can be recorded once.'),
        labelled('Donor name', donorName, 'Optional.'),
        labelled('Donor email', donorEmail, 'Optional; needed for a receipt.'),
      ),
      labelled('Number it and email the donor a receipt', sendReceipt),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Record donation')),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const minor = parseAmount(amount.value, currency);
      if (minor === null || minor <= 0) {
        errors.show('The amount could not be read.', [{ field: 'amount', message: `enter an amount in ${currency.toUpperCase()}` }]);
        return;
      }
      const name = donorName.value.trim();
      const email = donorEmail.value.trim();
      const body = {
        amount: minor,
        received_at: receivedAt.value,
        method: method.value,
        reference: reference.value.trim(),
        ...((name || email) && { donor: { ...(name && { name }), ...(email && { email }) } }),
        send_receipt: sendReceipt.checked,
      };
      errors.clear();
      this.api
        .post<{ id: string }>(`/v1/admin/campaigns/${encodeURIComponent(this.campaign.slug)}/offline-donations`, body)
        .then(() => {
          toast(`Recorded ${formatAmount(minor, currency)} (${body.reference}).`);
          form.reset();
          receivedAt.value = this.today();
        })
        .catch((failure: unknown) => errors.showFailure(failure));
    });
    return form;
  }

  private today(): string {
    // The campaign's today: what an admin recording money "received today" means.
    return new Intl.DateTimeFormat('en-CA', { timeZone: this.campaign.timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  }

  private importForm(): HTMLElement {
    const file = h('input', { id: 'import-file', name: 'file', type: 'file', accept: '.csv,text/csv' });
    const errors = new FormErrors((field) => (field === 'file' || field === 'body' || field.startsWith('header') ? { control: file } : undefined));
    const result = h('div', { class: 'import-result', 'aria-live': 'polite' });
    const check = h('button', { type: 'submit' }, 'Check the file');
    const form = h(
      'form',
      { class: 'offline-import', novalidate: true, 'aria-label': 'Import past donations' },
      errors.summary,
      labelled(
        'CSV file',
        file,
        `Columns amount,currency,received_at,method,reference,name,email with a header row; amount in minor units of ${this.campaign.currency.toUpperCase()} (e.g. 2500); received_at YYYY-MM-DD; a reference already imported is skipped.`,
      ),
      h('div', { class: 'actions' }, check),
      result,
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const chosen = file.files?.[0];
      if (!chosen) {
        errors.show('Choose a CSV file first.', [{ field: 'file', message: 'no file chosen' }]);
        return;
      }
      errors.clear();
      check.disabled = true;
      void this.run(chosen, true, result, errors).finally(() => (check.disabled = false));
    });
    return form;
  }

  /** A dry run (nothing written) or the import itself, shown as counts and the first rows that need a look. */
  private async run(file: File, dryRun: boolean, result: HTMLElement, errors: FormErrors): Promise<void> {
    const firstRows: ImportResult[] = [];
    const firstProblems: ImportResult[] = [];
    let seen = 0;
    const progress = h('p', { class: 'muted' }, dryRun ? 'Checking…' : 'Importing…');
    fill(result, progress);
    let summary: ImportSummary;
    try {
      const path = `/v1/admin/campaigns/${encodeURIComponent(this.campaign.slug)}/offline-donations/import${dryRun ? '?dry_run=true' : ''}`;
      const response = await this.api.upload(path, file, 'text/csv');
      let shown = 0;
      summary = await readImport(response, (entry) => {
        seen += 1;
        if (firstRows.length < LISTED_ROWS) firstRows.push(entry);
        if (entry.status !== 'ok' && firstProblems.length < LISTED_ROWS) firstProblems.push(entry);
        if (seen - shown >= 1000) {
          shown = seen;
          progress.textContent = `${dryRun ? 'Checked' : 'Processed'} ${seen.toLocaleString('en-US')} rows…`;
        }
      });
    } catch (failure) {
      fill(result);
      errors.showFailure(failure);
      return;
    }
    const listed = summary.rows <= LISTED_ROWS ? firstRows : firstProblems;
    const number = (count: number) => count.toLocaleString('en-US');
    fill(
      result,
      h('h4', {}, dryRun ? 'Check of the file (nothing imported yet)' : 'Import finished'),
      h(
        'ul',
        { class: 'import-counts' },
        h('li', {}, `${number(summary.rows)} rows`),
        h('li', {}, `${number(summary.ok)} ${dryRun ? 'ready to import' : 'imported'}`),
        h('li', {}, `${number(summary.skipped)} skipped (already imported)`),
        h('li', {}, `${number(summary.error)} with errors (${dryRun ? 'they will not be imported' : 'not imported'})`),
      ),
      summary.aborted ? h('p', { class: 'error', role: 'alert' }, summary.aborted) : null,
      summary.rows > LISTED_ROWS && listed.length
        ? h('p', { class: 'muted' }, `The first ${listed.length} rows that ${dryRun ? 'will not be' : 'were not'} imported:`)
        : null,
      listed.length
        ? table(
            'Import results by row',
            ['Row', 'Line', 'Reference', 'Result', 'Reason'],
            listed.map((entry) => row(entry.row, entry.line, entry.reference ?? '—', h('span', { class: `badge import-${entry.status}` }, STATUS_WORDS[entry.status]), entry.reason ?? '')),
            '',
          )
        : null,
      dryRun && summary.ok > 0
        ? h(
            'div',
            { class: 'actions' },
            h(
              'button',
              {
                type: 'button',
                onclick: (event: Event) => {
                  (event.currentTarget as HTMLButtonElement).disabled = true;
                  void this.run(file, false, result, errors);
                },
              },
              `Import ${number(summary.ok)} ${summary.ok === 1 ? 'row' : 'rows'}`,
            ),
          )
        : null,
    );
    if (!dryRun) toast(`Imported ${number(summary.ok)} donations into ${this.campaign.slug}.`);
  }
}
