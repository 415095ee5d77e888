import type { AccountMapping, AccountMappingBody, SkuMapping, SkuMappingBody } from '@shared/api/recon';
import { appendAudit } from '../../audit/log';
import type { AuthUser } from '../../auth/auth-user';
import type { Database, Queryable } from '../../db/types';

interface AccountRow {
  channel: AccountMapping['channel'];
  partner_account: string;
  customer_id: string;
  customer_name: string;
  updated_by: string;
  updated_at: Date;
}

interface SkuRow {
  channel: SkuMapping['channel'];
  partner_product: string;
  partner_dimension: string;
  sku: string;
  updated_by: string;
  updated_at: Date;
}

const toAccount = (r: AccountRow): AccountMapping => ({
  channel: r.channel,
  partnerAccount: r.partner_account,
  customerId: r.customer_id,
  customerName: r.customer_name,
  updatedBy: r.updated_by,
  updatedAt: r.updated_at.toISOString(),
});

const toSku = (r: SkuRow): SkuMapping => ({
  channel: r.channel,
  partnerProduct: r.partner_product,
  partnerDimension: r.partner_dimension,
  sku: r.sku,
  updatedBy: r.updated_by,
  updatedAt: r.updated_at.toISOString(),
});

// Lists are capped: a lead reads them in a table, and 10k rows is years of partner accounts.
const LIST_LIMIT = 10_000;

export async function listAccountMappings(db: Queryable): Promise<AccountMapping[]> {
  const rows = await db.query<AccountRow>(
    `SELECT * FROM recon_account_map ORDER BY channel, partner_account LIMIT ${LIST_LIMIT}`,
  );
  return rows.map(toAccount);
}

export async function listSkuMappings(db: Queryable): Promise<SkuMapping[]> {
  const rows = await db.query<SkuRow>(
    `SELECT * FROM recon_sku_map ORDER BY channel, partner_product, partner_dimension LIMIT ${LIST_LIMIT}`,
  );
  return rows.map(toSku);
}

export interface Saved<T> {
  mapping: T;
  created: boolean;
}

/**
 * One mapping table as data: its key and value columns (SQL names), so adding or changing a
 * mapping is one upsert whatever the table, audited with the values before and after.
 */
interface MapTable<Row, T> {
  table: string;
  keys: readonly string[];
  values: readonly string[];
  toApi: (row: Row) => T;
  /** The audited part of a mapping (its values). */
  audited: (mapping: T) => Record<string, string>;
  action: string;
}

async function saveMapping<Row, T>(
  db: Database,
  user: AuthUser,
  spec: MapTable<Row, T>,
  key: readonly string[],
  values: readonly string[],
): Promise<Saved<T>> {
  const where = spec.keys.map((k, i) => `${k} = $${i + 1}`).join(' AND ');
  const columns = [...spec.keys, ...spec.values, 'updated_by'];
  const placeholders = columns.map((_, i) => `$${i + 1}`).join(', ');
  const set = [...spec.values, 'updated_by'].map((c) => `${c} = EXCLUDED.${c}`).join(', ');
  return db.transaction(async (tx) => {
    const before = await tx.query<Row>(`SELECT * FROM ${spec.table} WHERE ${where} FOR UPDATE`, [...key]);
    const [row] = await tx.query<Row>(
      `INSERT INTO ${spec.table} (${columns.join(', ')}) VALUES (${placeholders})
       ON CONFLICT (${spec.keys.join(', ')}) DO UPDATE SET ${set}, updated_at = now()
       RETURNING *`,
      [...key, ...values, user.id],
    );
    const mapping = spec.toApi(row as Row);
    const previous = before[0] ? spec.toApi(before[0]) : null;
    await appendAudit(tx, [
      {
        actorId: user.id,
        action: spec.action,
        entity: spec.table,
        entityId: key.join(':'),
        details: { before: previous && spec.audited(previous), after: spec.audited(mapping) },
      },
    ]);
    return { mapping, created: previous === null };
  });
}

const ACCOUNT_MAP: MapTable<AccountRow, AccountMapping> = {
  table: 'recon_account_map',
  keys: ['channel', 'partner_account'],
  values: ['customer_id', 'customer_name'],
  toApi: toAccount,
  audited: (m) => ({ customerId: m.customerId, customerName: m.customerName }),
  action: 'recon.account_mapping.saved',
};

const SKU_MAP: MapTable<SkuRow, SkuMapping> = {
  table: 'recon_sku_map',
  keys: ['channel', 'partner_product', 'partner_dimension'],
  values: ['sku'],
  toApi: toSku,
  audited: (m) => ({ sku: m.sku }),
  action: 'recon.sku_mapping.saved',
};

/** Adds or changes an account mapping; the audit row keeps what it was before. */
export function saveAccountMapping(
  db: Database,
  user: AuthUser,
  body: AccountMappingBody,
): Promise<Saved<AccountMapping>> {
  return saveMapping(
    db,
    user,
    ACCOUNT_MAP,
    [body.channel, body.partnerAccount],
    [body.customerId, body.customerName],
  );
}

/** Adds or changes a SKU mapping; the audit row keeps what it was before. */
export function saveSkuMapping(
  db: Database,
  user: AuthUser,
  body: SkuMappingBody,
): Promise<Saved<SkuMapping>> {
  return saveMapping(
    db,
    user,
    SKU_MAP,
    [body.channel, body.partnerProduct, body.partnerDimension],
    [body.sku],
  );
}
