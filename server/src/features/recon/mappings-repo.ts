import type {
  AccountMapping,
  AccountMappingBody,
  SkuMapping,
  SkuMappingBody,
} from '../../../../shared/api/recon';
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

/** Adds or changes an account mapping; the audit row keeps what it was before. */
export async function saveAccountMapping(
  db: Database,
  user: AuthUser,
  body: AccountMappingBody,
): Promise<Saved<AccountMapping>> {
  return db.transaction(async (tx) => {
    const before = await tx.query<AccountRow>(
      'SELECT * FROM recon_account_map WHERE channel = $1 AND partner_account = $2 FOR UPDATE',
      [body.channel, body.partnerAccount],
    );
    const [row] = await tx.query<AccountRow>(
      `INSERT INTO recon_account_map (channel, partner_account, customer_id, customer_name, updated_by)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (channel, partner_account) DO UPDATE
         SET customer_id = EXCLUDED.customer_id, customer_name = EXCLUDED.customer_name,
             updated_by = EXCLUDED.updated_by, updated_at = now()
       RETURNING *`,
      [body.channel, body.partnerAccount, body.customerId, body.customerName, user.id],
    );
    const mapping = toAccount(row as AccountRow);
    const previous = before[0] ? toAccount(before[0]) : null;
    await appendAudit(tx, [
      {
        actorId: user.id,
        action: 'recon.account_mapping.saved',
        entity: 'recon_account_map',
        entityId: `${body.channel}:${body.partnerAccount}`,
        details: {
          before: previous && { customerId: previous.customerId, customerName: previous.customerName },
          after: { customerId: mapping.customerId, customerName: mapping.customerName },
        },
      },
    ]);
    return { mapping, created: previous === null };
  });
}

/** Adds or changes a SKU mapping; the audit row keeps what it was before. */
export async function saveSkuMapping(
  db: Database,
  user: AuthUser,
  body: SkuMappingBody,
): Promise<Saved<SkuMapping>> {
  return db.transaction(async (tx) => {
    const key = [body.channel, body.partnerProduct, body.partnerDimension];
    const before = await tx.query<SkuRow>(
      `SELECT * FROM recon_sku_map
       WHERE channel = $1 AND partner_product = $2 AND partner_dimension = $3 FOR UPDATE`,
      key,
    );
    const [row] = await tx.query<SkuRow>(
      `INSERT INTO recon_sku_map (channel, partner_product, partner_dimension, sku, updated_by)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (channel, partner_product, partner_dimension) DO UPDATE
         SET sku = EXCLUDED.sku, updated_by = EXCLUDED.updated_by, updated_at = now()
       RETURNING *`,
      [...key, body.sku, user.id],
    );
    const mapping = toSku(row as SkuRow);
    const previous = before[0] ? toSku(before[0]) : null;
    await appendAudit(tx, [
      {
        actorId: user.id,
        action: 'recon.sku_mapping.saved',
        entity: 'recon_sku_map',
        entityId: key.join(':'),
        details: { before: previous && { sku: previous.sku }, after: { sku: mapping.sku } },
      },
    ]);
    return { mapping, created: previous === null };
  });
}
