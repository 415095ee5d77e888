import type { ExportFormat, ExportKind, ExportQuery } from '@shared/exports/exports';
import { appendAudit } from '../../audit/log';
import type { Database } from '../../db/types';
import { toCsv, toXlsx } from './sheet-writers';
import { exportSheet } from './sources';

export interface ExportedFile {
  fileName: string;
  contentType: string;
  bytes: Buffer;
  rows: number;
}

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/**
 * One export, rendered and audited (`export.download`: who, what kind, which filters, how many
 * rows): data leaving the system is an event a close review asks about.
 */
export async function exportFile(
  db: Database,
  actorId: string,
  kind: ExportKind,
  query: ExportQuery,
  now = new Date(),
): Promise<ExportedFile> {
  const sheet = await exportSheet(db, kind, query, now);
  const bytes = query.format === 'xlsx' ? toXlsx(sheet) : toCsv(sheet);
  const { format, ...filters } = query;
  await appendAudit(
    db,
    [
      {
        actorId,
        action: 'export.download',
        entity: 'export',
        entityId: kind,
        details: { format, filters, rows: sheet.rows.length },
      },
    ],
    now,
  );
  return {
    fileName: `ledgerdesk-${kind}-${now.toISOString().slice(0, 10)}.${format}`,
    contentType: CONTENT_TYPES[format],
    bytes,
    rows: sheet.rows.length,
  };
}
