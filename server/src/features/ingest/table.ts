/** A file read as a table of cell text, before any format is applied. */
export interface TableRow {
  /** The row as a spreadsheet numbers it (the header row is 1); what error messages cite. */
  number: number;
  cells: string[];
}

export type ReadResult = { ok: true; rows: TableRow[] } | { ok: false; row: number; message: string };
