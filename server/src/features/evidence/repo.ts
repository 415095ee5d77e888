import type { AuthUser } from '../../auth/auth-user';
import { appendAudit } from '../../audit/log';
import type { Database, Queryable } from '../../db/types';
import type { EvidenceType } from '@shared/evidence/file-type';

export interface StoredEvidence {
  type: EvidenceType;
  size: number;
  /** The name its first uploader gave it (already made safe). */
  name: string;
  bytes: Uint8Array;
}

/** Who reads every file: the people who review operators' work. */
export const EVIDENCE_REVIEWER_ROLES = ['lead', 'qa', 'admin'] as const;
const isReviewer = (user: AuthUser): boolean =>
  user.roles.some((r) => (EVIDENCE_REVIEWER_ROLES as readonly string[]).includes(r));

/**
 * Stores a verified file once (by hash) and records that this user gave it. Idempotent: the same
 * bytes again, by anyone, add only the uploader row. Audited as `evidence.uploaded`.
 */
export async function storeEvidence(
  db: Database,
  user: AuthUser,
  file: { sha256: string; type: EvidenceType; name: string; bytes: Uint8Array },
): Promise<{ created: boolean }> {
  return db.transaction(async (tx) => {
    const inserted = await tx.query<{ sha256: string }>(
      `INSERT INTO evidence_blobs (sha256, media_type, size, bytes) VALUES ($1, $2, $3, $4)
       ON CONFLICT (sha256) DO NOTHING RETURNING sha256`,
      [file.sha256, file.type, file.bytes.length, file.bytes],
    );
    const uploaded = await tx.query<{ sha256: string }>(
      `INSERT INTO evidence_uploads (sha256, user_id, name) VALUES ($1, $2, $3)
       ON CONFLICT (sha256, user_id) DO NOTHING RETURNING sha256`,
      [file.sha256, user.id, file.name],
    );
    if (uploaded.length > 0) {
      await appendAudit(tx, [
        {
          actorId: user.id,
          action: 'evidence.uploaded',
          entity: 'evidence',
          entityId: file.sha256,
          details: { type: file.type, size: file.bytes.length, name: file.name },
        },
      ]);
    }
    return { created: inserted.length > 0 };
  });
}

/**
 * The file, if this user may read it: reviewers read every file, anyone else only files they
 * uploaded. Not allowed answers the same as absent, so hashes are not probeable.
 */
export async function readEvidence(
  db: Database,
  user: AuthUser,
  sha256: string,
): Promise<StoredEvidence | null> {
  const rows = await db.query<{ media_type: string; size: number; bytes: Uint8Array; name: string }>(
    `SELECT b.media_type, b.size, b.bytes,
       COALESCE((SELECT u.name FROM evidence_uploads u WHERE u.sha256 = b.sha256 AND u.user_id = $2),
                (SELECT u.name FROM evidence_uploads u WHERE u.sha256 = b.sha256 ORDER BY u.uploaded_at LIMIT 1)) AS name
     FROM evidence_blobs b
     WHERE b.sha256 = $1
       AND ($3 OR EXISTS (SELECT 1 FROM evidence_uploads u WHERE u.sha256 = b.sha256 AND u.user_id = $2))`,
    [sha256, user.id, isReviewer(user)],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    type: row.media_type as EvidenceType,
    size: row.size,
    name: row.name,
    bytes: row.bytes,
  };
}

/** The type and size of each of these files this user uploaded (what a pushed result may name). */
export async function uploadedBy(
  tx: Queryable,
  userId: string,
  hashes: readonly string[],
): Promise<Map<string, { type: string; size: number }>> {
  if (hashes.length === 0) return new Map();
  const rows = await tx.query<{ sha256: string; media_type: string; size: number }>(
    `SELECT b.sha256, b.media_type, b.size FROM evidence_blobs b
     JOIN evidence_uploads u ON u.sha256 = b.sha256 AND u.user_id = $1
     WHERE b.sha256 = ANY($2::text[])`,
    [userId, [...new Set(hashes)]],
  );
  return new Map(rows.map((r) => [r.sha256, { type: r.media_type, size: r.size }]));
}
