import { supersededSubmissionSchema, type ConflictsResponse } from '@shared/api/conflicts';
import { seqToNumber } from '../../db/change-feed';
import type { Queryable } from '../../db/types';

interface Row {
  id: string;
  exception_id: string;
  user_id: string;
  client_id: string;
  mutation_id: string;
  lease_id: string;
  body: unknown;
  reason: string;
  occurred_at: Date;
  received_at: Date;
}

/** Superseded submissions after `cursor` (by id), oldest first, optionally for one exception. */
export async function listSuperseded(
  db: Queryable,
  query: { cursor: number; limit: number; exceptionId?: string | undefined },
): Promise<ConflictsResponse> {
  const rows = await db.query<Row>(
    `SELECT id, exception_id, user_id, client_id, mutation_id, lease_id, body, reason, occurred_at, received_at
     FROM superseded_submissions
     WHERE id > $1 AND ($3::text IS NULL OR exception_id = $3)
     ORDER BY id LIMIT $2`,
    [query.cursor, query.limit + 1, query.exceptionId ?? null],
  );
  const hasMore = rows.length > query.limit;
  const items = (hasMore ? rows.slice(0, query.limit) : rows).map((r) =>
    supersededSubmissionSchema.parse({
      id: seqToNumber(r.id),
      exceptionId: r.exception_id,
      userId: r.user_id,
      clientId: r.client_id,
      mutationId: r.mutation_id,
      leaseId: r.lease_id,
      body: r.body,
      reason: r.reason,
      occurredAt: r.occurred_at.toISOString(),
      receivedAt: r.received_at.toISOString(),
    }),
  );
  const last = items[items.length - 1];
  return { items, cursor: last ? last.id : query.cursor, hasMore };
}
