import { createHash } from 'node:crypto';
import type { Database } from '../../db/types';
import type { ImportProblem, ImportSummary } from '@shared/ingest/summary';
import { findBatchBySha, insertBatch, insertStagedRows } from './batches-repo';
import { readTable } from './read-file';
import { validateTable } from './validate-table';
import { lockedBatchRow } from '../close/locked-periods';

/** Thrown inside the import transaction to roll it back when a row falls in a locked period. */
class LockedPeriodImport extends Error {
  constructor(
    readonly row: number,
    message: string,
  ) {
    super(message);
  }
}

export interface ImportRequest {
  /** The name errors and the batch record cite (as given on the command line). */
  fileName: string;
  bytes: Uint8Array;
  /** A format name; undefined = detect from the header row. */
  format?: string;
  /** Validate and report, store nothing. */
  dryRun?: boolean;
  /** Who imports (recorded on the batch). */
  importedBy: string;
  /** Told as the file is read, checked and staged (a progress bar; `rows` done of `of`). */
  onProgress?: (progress: ImportProgress) => void;
}

export interface ImportProgress {
  phase: 'read' | 'checked' | 'staging' | 'stored';
  rows: number;
  of: number;
}

/** Problems listed per file; the rest are counted. */
const MAX_PROBLEMS = 50;

/**
 * One file in, all or nothing: read, validate every row, then write the batch and all its
 * staging rows in one transaction. The same bytes a second time (any name) change nothing and
 * answer `already_imported`. A rejected file stores nothing.
 */
export async function importFile(db: Database, req: ImportRequest): Promise<ImportSummary> {
  const sha256 = createHash('sha256').update(req.bytes).digest('hex');
  const base = { file: req.fileName, sha256, batchId: null, previous: null, moreProblems: 0 };
  const rejected = (format: string | null, problems: ImportProblem[], uncounted = 0): ImportSummary => ({
    ...base,
    outcome: 'rejected',
    format,
    rows: 0,
    problems: problems.slice(0, MAX_PROBLEMS),
    moreProblems: Math.max(0, problems.length - MAX_PROBLEMS) + uncounted,
  });

  const table = readTable(req.fileName, req.bytes);
  if (!table.ok)
    return rejected(req.format ?? null, [
      { file: req.fileName, row: table.row, column: '-', message: table.message },
    ]);
  req.onProgress?.({ phase: 'read', rows: table.rows.length, of: table.rows.length });
  const validation = validateTable(req.fileName, table.rows, req.format);
  if (!validation.ok)
    return rejected(
      validation.format?.name ?? req.format ?? null,
      validation.problems,
      validation.moreProblems,
    );
  const { format, rows } = validation;
  req.onProgress?.({ phase: 'checked', rows: rows.length, of: rows.length });

  const already = async (): Promise<ImportSummary | null> => {
    const previous = await findBatchBySha(db, sha256);
    if (!previous) return null;
    return {
      ...base,
      outcome: 'already_imported',
      format: previous.format,
      rows: previous.rowCount,
      batchId: previous.id,
      previous: {
        fileName: previous.fileName,
        importedBy: previous.importedBy,
        importedAt: previous.importedAt,
      },
      problems: [],
    };
  };
  const before = await already();
  if (before) return before;
  if (req.dryRun) return { ...base, outcome: 'valid', format: format.name, rows: rows.length, problems: [] };

  const batchId = await db
    .transaction(async (tx) => {
      const id = await insertBatch(tx, {
        fileName: req.fileName,
        sha256,
        format,
        rowCount: rows.length,
        importedBy: req.importedBy,
      });
      if (id === null) return null;
      await insertStagedRows(tx, id, format, rows, (done) =>
        req.onProgress?.({ phase: 'staging', rows: done, of: rows.length }),
      );
      // Rows for a month-end period that is signed off and locked: refuse the file, store nothing.
      const locked = await lockedBatchRow(tx, id);
      if (locked) throw new LockedPeriodImport(locked.row, locked.message);
      return id;
    })
    .catch((error: unknown) => {
      if (error instanceof LockedPeriodImport) return error;
      throw error;
    });
  if (batchId instanceof LockedPeriodImport)
    return rejected(format.name, [
      { file: req.fileName, row: batchId.row, column: '-', message: batchId.message },
    ]);
  if (batchId === null) return (await already()) ?? rejected(format.name, []);
  req.onProgress?.({ phase: 'stored', rows: rows.length, of: rows.length });
  return { ...base, outcome: 'imported', format: format.name, rows: rows.length, batchId, problems: [] };
}
