import { z } from 'zod';

/** Where a problem is: the file, the row as a spreadsheet numbers it (header = 1), the column. */
export const importProblemSchema = z.object({
  file: z.string(),
  /** 0 when the file as a whole could not be read. */
  row: z.number().int().min(0),
  /** The column header, or '-' when the problem is not in one column. */
  column: z.string(),
  message: z.string(),
});
export type ImportProblem = z.infer<typeof importProblemSchema>;

export const IMPORT_OUTCOMES = ['imported', 'already_imported', 'rejected', 'valid'] as const;

/**
 * The summary of one file's import (`npm run ingest -- --json` prints one per line). `valid`
 * is a dry run's answer for a file that would import.
 */
export const importSummarySchema = z.object({
  file: z.string(),
  outcome: z.enum(IMPORT_OUTCOMES),
  format: z.string().nullable(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  rows: z.number().int().min(0),
  batchId: z.string().nullable(),
  /** For already_imported: when, by whom and under what name the same bytes came in. */
  previous: z.object({ fileName: z.string(), importedBy: z.string(), importedAt: z.string() }).nullable(),
  problems: z.array(importProblemSchema),
  /** Problems beyond those listed (a broken file can have thousands). */
  moreProblems: z.number().int().min(0),
});
export type ImportSummary = z.infer<typeof importSummarySchema>;

export function formatProblem(p: ImportProblem): string {
  return `${p.file}:${p.row}:${p.column}: ${p.message}`;
}
