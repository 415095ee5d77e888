import type { Queryable } from '../../db/types';
import type { IngestBatch } from '@shared/api/ingest';
import type { FormatSpec } from '@shared/ingest/format-spec';
import { STAGING_TABLES } from './staging-tables';
import type { StagedRow } from './validate-table';
import { copyText } from '../../db/copy-in';

export interface BatchRecord {
  id: string;
  fileName: string;
  format: string;
  rowCount: number;
  importedBy: string;
  importedAt: string;
}

interface BatchRow {
  id: string;
  file_name: string;
  format: string;
  row_count: number;
  imported_by: string;
  imported_at: Date;
}

const toBatch = (r: BatchRow): BatchRecord => ({
  id: r.id,
  fileName: r.file_name,
  format: r.format,
  rowCount: r.row_count,
  importedBy: r.imported_by,
  importedAt: r.imported_at.toISOString(),
});

export async function findBatchBySha(db: Queryable, sha256: string): Promise<BatchRecord | null> {
  const rows = await db.query<BatchRow>(
    'SELECT id, file_name, format, row_count, imported_by, imported_at FROM ingest_batches WHERE sha256 = $1',
    [sha256],
  );
  return rows[0] ? toBatch(rows[0]) : null;
}

/** Inserts the batch row; null when a batch with these bytes already exists (a concurrent import). */
export async function insertBatch(
  tx: Queryable,
  b: { fileName: string; sha256: string; format: FormatSpec; rowCount: number; importedBy: string },
): Promise<string | null> {
  const rows = await tx.query<{ id: string }>(
    `INSERT INTO ingest_batches (file_name, sha256, format, record_kind, row_count, imported_by)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (sha256) DO NOTHING RETURNING id`,
    [b.fileName, b.sha256, b.format.name, b.format.kind, b.rowCount, b.importedBy],
  );
  return rows[0]?.id ?? null;
}

/** Rows per INSERT: one statement carries a JSON array, cast column by column in SQL. */
const CHUNK = 5_000;
/** Rows per COPY data message. */
const COPY_CHUNK = 2_000;

/** The rows as COPY text, a chunk at a time (batch_id, row_number, format, raw, then the kind's columns). */
function* copyChunks(
  batchId: string,
  format: FormatSpec,
  names: readonly string[],
  rows: readonly StagedRow[],
  onRows?: (done: number) => void,
): Generator<string> {
  const head = `${batchId}\t`;
  const formatCell = `\t${copyText(format.name)}\t`;
  for (let i = 0; i < rows.length; i += COPY_CHUNK) {
    let out = '';
    for (const r of rows.slice(i, i + COPY_CHUNK)) {
      out += head + r.rowNumber + formatCell + copyText(JSON.stringify(r.row));
      for (const n of names) out += '\t' + copyText(r.staging[n] ?? null);
      out += '\n';
    }
    yield out;
    onRows?.(Math.min(i + COPY_CHUNK, rows.length));
  }
}

/**
 * Writes a batch's rows to its kind's staging table, set-based. With COPY (both drivers): the
 * rows stream as COPY text and PostgreSQL casts NUMERIC / DATE / TIMESTAMPTZ from the exact
 * text (the fastest load PostgreSQL has: measured 13-16 s per 100k rows with row INSERTs).
 * Without it: each chunk is one `INSERT ... SELECT FROM jsonb_to_recordset`. Either way no
 * JavaScript number ever holds a value.
 */
export async function insertStagedRows(
  tx: Queryable,
  batchId: string,
  format: FormatSpec,
  rows: readonly StagedRow[],
  onRows?: (done: number) => void,
): Promise<void> {
  const table = STAGING_TABLES[format.kind];
  const names = table.columns.map(([n]) => n);
  if (tx.copyFrom) {
    await tx.copyFrom(
      `COPY ${table.table} (batch_id, row_number, format, raw, ${names.join(', ')}) FROM STDIN`,
      copyChunks(batchId, format, names, rows, onRows),
    );
    return;
  }
  const recordDef = ['row_number integer', 'raw jsonb', ...table.columns.map(([n, t]) => `${n} ${t}`)].join(
    ', ',
  );
  const sql = `INSERT INTO ${table.table} (batch_id, row_number, format, raw, ${names.join(', ')})
    SELECT $1::bigint, r.row_number, $2, r.raw, ${names.map((n) => `r.${n}`).join(', ')}
    FROM jsonb_to_recordset($3::jsonb) AS r(${recordDef})`;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows
      .slice(i, i + CHUNK)
      .map((r) => ({ row_number: r.rowNumber, raw: r.row, ...r.staging }));
    await tx.query(sql, [batchId, format.name, JSON.stringify(chunk)]);
    onRows?.(Math.min(i + CHUNK, rows.length));
  }
}

/** Batches newest first, each with who imported it and whether a reconciliation has read it since. */
export async function listBatches(db: Queryable, limit: number): Promise<IngestBatch[]> {
  const rows = await db.query<{
    id: string;
    file_name: string;
    format: string;
    record_kind: string;
    row_count: number;
    sha256: string;
    imported_by: string;
    display_name: string | null;
    imported_at: Date;
    reconciled: boolean;
  }>(
    `SELECT b.id::text, b.file_name, b.format, b.record_kind, b.row_count, b.sha256, b.imported_by, u.display_name,
       b.imported_at,
       EXISTS (SELECT 1 FROM recon_runs r WHERE r.finished_at IS NOT NULL AND r.started_at >= b.imported_at)
         AS reconciled
     FROM ingest_batches b LEFT JOIN users u ON u.id = b.imported_by
     ORDER BY b.id DESC LIMIT $1`,
    [limit],
  );
  return rows.map((r) => ({
    id: r.id,
    fileName: r.file_name,
    format: r.format,
    kind: r.record_kind,
    rows: r.row_count,
    sha256: r.sha256,
    importedBy: r.imported_by,
    importedByName: r.display_name,
    importedAt: r.imported_at.toISOString(),
    status: r.reconciled ? 'reconciled' : 'waiting',
  }));
}
