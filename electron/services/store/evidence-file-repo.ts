import type { EvidenceType } from '@shared/evidence/file-type';
import type { SqliteDatabase } from './database';

export interface EvidenceFile {
  sha256: string;
  type: EvidenceType;
  size: number;
  /** The safe display name of its first attachment. */
  name: string;
  bytes: Uint8Array;
}

/** Attached evidence files, by SHA-256, and which server has them from which user. */
export interface EvidenceFileRepo {
  /** Keeps the file once; the same bytes again change nothing. */
  put(file: EvidenceFile, at: number): void;
  get(sha256: string): EvidenceFile | null;
  has(sha256: string): boolean;
  wasSent(sha256: string, server: string, userId: string): boolean;
  markSent(sha256: string, server: string, userId: string, at: number): void;
}

interface Row {
  sha256: string;
  type: string;
  size: number;
  name: string;
  bytes: Buffer;
}

export function createEvidenceFileRepo(db: SqliteDatabase): EvidenceFileRepo {
  const insert = db.prepare<[string, string, number, string, Uint8Array, number]>(
    `INSERT OR IGNORE INTO evidence_files (sha256, type, size, name, bytes, added_at) VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const select = db.prepare<[string], Row>(
    'SELECT sha256, type, size, name, bytes FROM evidence_files WHERE sha256 = ?',
  );
  const exists = db.prepare<[string], { one: number }>(
    'SELECT 1 AS one FROM evidence_files WHERE sha256 = ?',
  );
  const sent = db.prepare<[string, string, string], { one: number }>(
    'SELECT 1 AS one FROM evidence_sent WHERE sha256 = ? AND server = ? AND user_id = ?',
  );
  const insertSent = db.prepare<[string, string, string, number]>(
    'INSERT OR IGNORE INTO evidence_sent (sha256, server, user_id, sent_at) VALUES (?, ?, ?, ?)',
  );
  return {
    put(file, at) {
      insert.run(file.sha256, file.type, file.size, file.name, file.bytes, at);
    },
    get(sha256) {
      const row = select.get(sha256);
      if (!row) return null;
      // Written only by put(), from a verified type.
      return { ...row, type: row.type as EvidenceType, bytes: new Uint8Array(row.bytes) };
    },
    has: (sha256) => exists.get(sha256) !== undefined,
    wasSent: (sha256, server, userId) => sent.get(sha256, server, userId) !== undefined,
    markSent(sha256, server, userId, at) {
      insertSent.run(sha256, server, userId, at);
    },
  };
}
