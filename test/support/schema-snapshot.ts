/**
 * Schema snapshots for the additive-migrations check (after Actual's additive-migrations test):
 * a desk runs an older app for days, and a server rolls back, so from the current release on a
 * migration may add tables and columns, never drop, rename or retype one.
 */

/** table -> column -> declared type (as the database reports it). */
export type SchemaSnapshot = Map<string, Map<string, string>>;

/** What a migration took away or changed; empty when it only added. */
export function nonAdditiveChanges(before: SchemaSnapshot, after: SchemaSnapshot): string[] {
  const problems: string[] = [];
  for (const [table, columns] of before) {
    const now = after.get(table);
    if (!now) {
      problems.push(`table ${table} was dropped or renamed`);
      continue;
    }
    for (const [column, type] of columns) {
      const nowType = now.get(column);
      if (nowType === undefined) problems.push(`column ${table}.${column} was dropped or renamed`);
      else if (nowType !== type)
        problems.push(`column ${table}.${column} changed type: ${type} -> ${nowType}`);
    }
  }
  return problems;
}

export function snapshotOf(rows: readonly { table: string; column: string; type: string }[]): SchemaSnapshot {
  const snapshot: SchemaSnapshot = new Map();
  for (const r of rows) {
    let columns = snapshot.get(r.table);
    if (!columns) snapshot.set(r.table, (columns = new Map()));
    columns.set(r.column, r.type);
  }
  return snapshot;
}
