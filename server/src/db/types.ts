export interface QueryOptions {
  /**
   * A name for a server-side prepared statement (node-postgres parses and plans it once per
   * connection). Only for hot statements whose text never changes; PGlite ignores it.
   */
  prepare?: string;
}

/** Something SQL can run on: the database itself or an open transaction. */
export interface Queryable {
  /**
   * One statement with `$1..$n` parameters. Rows come back normalised by the driver:
   * NUMERIC and INT8/BIGSERIAL as decimal strings, DATE as `YYYY-MM-DD`, TIMESTAMPTZ as Date,
   * JSONB parsed, text[] as string[]. The row type is the caller's claim; map rows explicitly.
   */
  query<T = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
    opts?: QueryOptions,
  ): Promise<T[]>;
  /** Several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /**
   * Bulk load: `sql` is `COPY table (columns) FROM STDIN`, `chunks` the data in COPY's text
   * format. Optional, so a wrapper without it still works: callers fall back to INSERTs.
   */
  copyFrom?(sql: string, chunks: Iterable<string>): Promise<void>;
}

export type DatabaseKind = 'pglite' | 'postgres';

export interface Database extends Queryable {
  readonly kind: DatabaseKind;
  /** How many connections it keeps (the pool's size; 1 for PGlite, which runs in this process). */
  readonly connections: number;
  /** Runs `fn` in one transaction on one connection; commits if it resolves, rolls back if it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * LISTEN on a channel: `onPayload` gets each NOTIFY payload after the notifying transaction
   * commits, from any process on the same database. Resolves to an unsubscribe function.
   */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
