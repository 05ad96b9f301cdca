import type { Queryable } from './pool.js';
import type { Tier } from '../domain/progress.js';

export type CampaignStatus = 'active' | 'paused' | 'archived';

export interface CampaignRow {
  id: number;
  slug: string;
  name: string;
  description: string;
  currency: string;
  timezone: string;
  goal_period: 'monthly' | 'total';
  goal_amount: number;
  tiers: Tier[];
  amount_presets: number[];
  min_amount: number;
  max_amount: number;
  allowed_redirect_origins: string[];
  status: CampaignStatus;
  receipt_settings: ReceiptSettings;
  /** The supporters wall shows amounts. */
  show_amounts: boolean;
  created_at: Date;
  updated_at: Date;
}

export interface ReceiptSettings {
  org_name?: string;
  org_address?: string;
  org_tax_id?: string;
  tax_sentence?: string;
}

export type CampaignFields = Omit<CampaignRow, 'id' | 'created_at' | 'updated_at'>;

const COLUMNS = `id, slug, name, description, currency, timezone, goal_period, goal_amount, tiers,
  amount_presets, min_amount, max_amount, allowed_redirect_origins, status, receipt_settings, show_amounts, created_at, updated_at`;

export async function insertCampaign(db: Queryable, fields: CampaignFields): Promise<CampaignRow> {
  const { rows } = await db.query<CampaignRow>(
    `INSERT INTO campaigns (slug, name, description, currency, timezone, goal_period, goal_amount, tiers,
       amount_presets, min_amount, max_amount, allowed_redirect_origins, status, receipt_settings, show_amounts)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
     RETURNING ${COLUMNS}`,
    [
      fields.slug, fields.name, fields.description, fields.currency, fields.timezone, fields.goal_period,
      fields.goal_amount, JSON.stringify(fields.tiers), fields.amount_presets, fields.min_amount, fields.max_amount,
      fields.allowed_redirect_origins, fields.status, JSON.stringify(fields.receipt_settings), fields.show_amounts,
    ],
  );
  return rows[0]!;
}

export async function updateCampaign(db: Queryable, id: number, fields: CampaignFields): Promise<CampaignRow> {
  const { rows } = await db.query<CampaignRow>(
    `UPDATE campaigns SET name = $2, description = $3, timezone = $4, goal_period = $5, goal_amount = $6,
       tiers = $7, amount_presets = $8, min_amount = $9, max_amount = $10, allowed_redirect_origins = $11,
       status = $12, receipt_settings = $13, show_amounts = $14, updated_at = now()
     WHERE id = $1
     RETURNING ${COLUMNS}`,
    [
      id, fields.name, fields.description, fields.timezone, fields.goal_period, fields.goal_amount,
      JSON.stringify(fields.tiers), fields.amount_presets, fields.min_amount, fields.max_amount,
      fields.allowed_redirect_origins, fields.status, JSON.stringify(fields.receipt_settings), fields.show_amounts,
    ],
  );
  return rows[0]!;
}

export async function findCampaignBySlug(db: Queryable, slug: string, options: { forUpdate?: boolean } = {}) {
  const { rows } = await db.query<CampaignRow>(
    `SELECT ${COLUMNS} FROM campaigns WHERE slug = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
    [slug],
  );
  return rows[0] ?? null;
}

export async function findCampaignById(db: Queryable, id: number): Promise<CampaignRow | null> {
  const { rows } = await db.query<CampaignRow>(`SELECT ${COLUMNS} FROM campaigns WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

/** The campaigns of these ids that exist, in one statement. */
export async function findCampaignsByIds(db: Queryable, ids: readonly number[]): Promise<CampaignRow[]> {
  if (!ids.length) return [];
  const { rows } = await db.query<CampaignRow>({
    name: 'find-campaigns-by-ids',
    text: `SELECT ${COLUMNS} FROM campaigns WHERE id = ANY($1::bigint[])`,
    values: [ids],
  });
  return rows;
}

/** Newest first, keyset-paginated on (created_at, id). */
export async function listCampaigns(
  db: Queryable,
  options: { limit: number; after?: { created_at: string; id: number }; status?: CampaignStatus },
): Promise<CampaignRow[]> {
  const { rows } = await db.query<CampaignRow>(
    `SELECT ${COLUMNS} FROM campaigns
     WHERE ($1::text IS NULL OR status = $1)
       AND ($2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::bigint))
     ORDER BY created_at DESC, id DESC
     LIMIT $4`,
    [options.status ?? null, options.after?.created_at ?? null, options.after?.id ?? null, options.limit],
  );
  return rows;
}
