import { mutationBodySchema, type MutationBody, type MutationKind } from '@shared/sync/mutations';
import type { SqliteDatabase } from './database';

/** A result the server kept as a superseded submission, as this install records it. */
export interface ConflictRow {
  mutationId: string;
  userId: string;
  exceptionId: string;
  kind: MutationKind;
  reason: string;
  body: MutationBody;
  /** Epoch ms: when the operator acted, and when the server's answer arrived. */
  occurredAt: number;
  at: number;
}

/** Superseded results, kept for the operator to see with the reason; sync never deletes them. */
export interface ConflictRepo {
  /** Idempotent on the mutation id: a replayed answer records nothing twice. */
  record(conflict: ConflictRow): void;
  count(userId: string | null): number;
  list(userId: string, offset: number, limit: number): { items: ConflictRow[]; total: number };
}

interface Row {
  mutation_id: string;
  user_id: string;
  exception_id: string;
  kind: string;
  reason: string;
  body: string;
  occurred_at: number;
  at: number;
}

export function createConflictRepo(db: SqliteDatabase): ConflictRepo {
  const insert = db.prepare<[string, string, string, string, string, string, number, number]>(
    `INSERT INTO conflicts (mutation_id, user_id, exception_id, kind, reason, body, occurred_at, at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (mutation_id) DO NOTHING`,
  );
  const countStmt = db
    .prepare<[{ user: string | null }]>(
      `SELECT COUNT(*) FROM conflicts WHERE (@user IS NULL OR user_id = @user)`,
    )
    .pluck();
  const listStmt = db.prepare<[string, number, number], Row>(
    `SELECT * FROM conflicts WHERE user_id = ? ORDER BY at DESC, mutation_id LIMIT ? OFFSET ?`,
  );
  return {
    record(c) {
      insert.run(
        c.mutationId,
        c.userId,
        c.exceptionId,
        c.kind,
        c.reason,
        JSON.stringify(c.body),
        c.occurredAt,
        c.at,
      );
    },
    count: (userId) => countStmt.get({ user: userId }) as number,
    list(userId, offset, limit) {
      const items = listStmt.all(userId, limit, offset).map((r): ConflictRow => {
        const body = mutationBodySchema.parse(JSON.parse(r.body));
        return {
          mutationId: r.mutation_id,
          userId: r.user_id,
          exceptionId: r.exception_id,
          kind: body.kind,
          reason: r.reason,
          body,
          occurredAt: r.occurred_at,
          at: r.at,
        };
      });
      return { items, total: countStmt.get({ user: userId }) as number };
    },
  };
}
