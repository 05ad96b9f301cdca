import type { CampaignRow } from '../db/campaigns.js';
import { existingOfflineReferences } from '../db/donations.js';
import { CsvReader, type CsvRecord } from '../domain/csv.js';
import { planOfflineDonation, type OfflineDonationPlan } from '../domain/offline-donation.js';
import { importHeader, importRow, type ImportColumn } from '../domain/offline-import.js';
import { validationFailed, type FieldError } from '../errors.js';
import { commitLedgerChange, type LedgerCommitDeps } from './ledger/admin-commit.js';
import { writeOfflineDonations } from './offline-donations.js';

/** Rows per transaction: few enough that a chunk's locks are short, many enough that statements are few. */
export const IMPORT_CHUNK_ROWS = 500;

export interface ImportRowResult {
  /** The data row's number (the header is row 0). */
  row: number;
  /** The line of the file the row starts on. */
  line: number;
  reference: string | null;
  status: 'ok' | 'skipped' | 'error';
  /** The donation made (imports that are not dry runs). */
  donation_id: string | null;
  /** Why a row was skipped or refused. */
  reason: string | null;
  errors: FieldError[];
}

/** The file's records as they arrive; only the record being read is held. */
export async function* csvRecords(body: AsyncIterable<Buffer | string>): AsyncGenerator<CsvRecord> {
  const reader = new CsvReader();
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of body) {
    yield* reader.push(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
  }
  const tail = reader.push(decoder.decode());
  yield* tail;
  const last = reader.end();
  if (last) yield last;
}

/** Reads the header row: a file without one, or with unknown or missing columns, is a 400 before anything is read further. */
export async function readImportHeader(records: AsyncIterator<CsvRecord>): Promise<Map<ImportColumn, number>> {
  const first = await records.next();
  if (first.done) throw validationFailed([{ field: 'body', message: 'the file is empty; it needs a header row' }], 'The CSV file is empty.');
  const header = importHeader(first.value.fields);
  if ('errors' in header) throw validationFailed(header.errors, 'The CSV header row is not valid.');
  return header.columns;
}

const rowError = (row: number, record: CsvRecord, reference: string | null, errors: FieldError[]): ImportRowResult => ({
  row,
  line: record.line,
  reference,
  status: 'error',
  donation_id: null,
  reason: errors.map((error) => `${error.field}: ${error.message}`).join('; '),
  errors,
});

interface Pending {
  result: ImportRowResult;
  plan: OfflineDonationPlan | null;
}

/**
 * Imports past donations row by row, `chunkRows` per transaction, yielding each chunk's results
 * once it has committed (so a result reported "ok" is in the ledger). Every row is checked in
 * full before its chunk is written; a row with any problem is reported and not written. A
 * reference already imported is skipped, which makes a re-run of the same file change nothing.
 * A dry run checks the same things and writes nothing. Memory holds one chunk and the set of
 * references seen so far (to report a reference repeated within the file).
 */
export async function* importOfflineDonations(
  deps: LedgerCommitDeps,
  campaign: CampaignRow,
  records: AsyncIterator<CsvRecord>,
  columns: ReadonlyMap<ImportColumn, number>,
  options: { dryRun: boolean; now?: Date; chunkRows?: number },
): AsyncGenerator<ImportRowResult[]> {
  const now = options.now ?? new Date();
  const chunkRows = options.chunkRows ?? IMPORT_CHUNK_ROWS;
  const seen = new Set<string>();
  let chunk: Pending[] = [];
  let row = 0;
  for (let next = await records.next(); !next.done; next = await records.next()) {
    const record = next.value;
    row += 1;
    chunk.push(checkRow(campaign, record, row, columns, seen, now));
    if (chunk.length >= chunkRows) {
      yield await writeChunk(deps, campaign, chunk, options.dryRun);
      chunk = [];
    }
  }
  if (chunk.length) yield await writeChunk(deps, campaign, chunk, options.dryRun);
}

function checkRow(
  campaign: CampaignRow,
  record: CsvRecord,
  row: number,
  columns: ReadonlyMap<ImportColumn, number>,
  seen: Set<string>,
  now: Date,
): Pending {
  const parsed = importRow(record, columns);
  if ('errors' in parsed) {
    const referenceAt = columns.get('reference');
    const reference = (referenceAt !== undefined && record.fields[referenceAt]?.trim()) || null;
    return { result: rowError(row, record, reference, parsed.errors), plan: null };
  }
  const { reference } = parsed.input;
  const decided = planOfflineDonation(campaign, parsed.input, now, 'imported');
  if ('errors' in decided) return { result: rowError(row, record, reference, decided.errors), plan: null };
  const result: ImportRowResult = { row, line: record.line, reference, status: 'ok', donation_id: null, reason: null, errors: [] };
  if (seen.has(reference)) {
    return { result: { ...result, status: 'skipped', reason: 'the reference appears on an earlier row of this file' }, plan: null };
  }
  seen.add(reference);
  return { result, plan: decided.plan };
}

const ALREADY_IMPORTED = 'already imported: the campaign has a donation with this reference';

async function writeChunk(deps: LedgerCommitDeps, campaign: CampaignRow, chunk: Pending[], dryRun: boolean): Promise<ImportRowResult[]> {
  const plans = chunk.flatMap((pending) => (pending.plan ? [pending.plan] : []));
  if (dryRun) {
    const existing = await existingOfflineReferences(deps.db, campaign.id, plans.map((plan) => plan.donation.offline_reference));
    return chunk.map(({ result, plan }) =>
      plan && existing.has(plan.donation.offline_reference) ? { ...result, status: 'skipped', reason: ALREADY_IMPORTED } : result,
    );
  }
  const written = plans.length ? await commitLedgerChange(deps, campaign.id, (client) => writeOfflineDonations(client, campaign, plans)) : new Map();
  return chunk.map(({ result, plan }) => {
    if (!plan) return result;
    const donation = written.get(plan.donation.offline_reference);
    return donation ? { ...result, donation_id: donation.id } : { ...result, status: 'skipped', reason: ALREADY_IMPORTED };
  });
}
