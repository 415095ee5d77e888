import { z } from 'zod';
import { answersSchema, type Answers, type SopRef } from '@shared/sop/module';
import { resolutionDraftSchema, type ResolutionDraft } from '@shared/ipc/channels';
import type { SqliteDatabase } from './database';

export interface ChecklistRow {
  sop: SopRef;
  answers: Answers;
  activeMs: number;
  stepMs: Record<string, number>;
  resolution: ResolutionDraft | null;
  updatedAt: number;
}

export interface ChecklistSave {
  sop: SopRef;
  answers: Answers;
  activeMsDelta: number;
  stepMsDelta: Readonly<Record<string, number>>;
  /** Omitted: the saved resolution form stays as it is. */
  resolution?: ResolutionDraft;
  now: number;
}

/** Checklist drafts, one per operator and item. */
export interface ChecklistRepo {
  get(userId: string, exceptionId: string): ChecklistRow | null;
  /**
   * Replaces the answers (and the resolution form, when given) and adds the time deltas; keeps the
   * version pinned by the first save.
   */
  save(userId: string, exceptionId: string, save: ChecklistSave): ChecklistRow;
  remove(userId: string, exceptionId: string): void;
}

const stepMsSchema = z.record(z.string(), z.number().int().min(0));

export function createChecklistRepo(db: SqliteDatabase): ChecklistRepo {
  const select = db.prepare<
    [string, string],
    {
      sop_id: string;
      sop_version: string;
      answers: string;
      active_ms: number;
      step_ms: string;
      resolution: string | null;
      updated_at: number;
    }
  >(
    `SELECT sop_id, sop_version, answers, active_ms, step_ms, resolution, updated_at
     FROM checklists WHERE user_id = ? AND exception_id = ?`,
  );
  const upsert = db.prepare<[string, string, string, string, string, number, string, string | null, number]>(
    `INSERT INTO checklists (user_id, exception_id, sop_id, sop_version, answers, active_ms, step_ms, resolution, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (user_id, exception_id) DO UPDATE SET answers = excluded.answers,
       active_ms = excluded.active_ms, step_ms = excluded.step_ms, resolution = excluded.resolution,
       updated_at = excluded.updated_at`,
  );
  const del = db.prepare<[string, string]>('DELETE FROM checklists WHERE user_id = ? AND exception_id = ?');

  const get = (userId: string, exceptionId: string): ChecklistRow | null => {
    const row = select.get(userId, exceptionId);
    if (!row) return null;
    return {
      sop: { moduleId: row.sop_id, version: row.sop_version },
      answers: answersSchema.parse(JSON.parse(row.answers)),
      activeMs: row.active_ms,
      stepMs: stepMsSchema.parse(JSON.parse(row.step_ms)),
      resolution: row.resolution === null ? null : resolutionDraftSchema.parse(JSON.parse(row.resolution)),
      updatedAt: row.updated_at,
    };
  };

  return {
    get,
    save(userId, exceptionId, s) {
      const previous = get(userId, exceptionId);
      const sop = previous?.sop ?? s.sop;
      const stepMs = { ...(previous?.stepMs ?? {}) };
      for (const [step, ms] of Object.entries(s.stepMsDelta)) stepMs[step] = (stepMs[step] ?? 0) + ms;
      const activeMs = (previous?.activeMs ?? 0) + s.activeMsDelta;
      const resolution = s.resolution ?? previous?.resolution ?? null;
      upsert.run(
        userId,
        exceptionId,
        sop.moduleId,
        sop.version,
        JSON.stringify(s.answers),
        activeMs,
        JSON.stringify(stepMs),
        resolution === null ? null : JSON.stringify(resolution),
        s.now,
      );
      return { sop, answers: s.answers, activeMs, stepMs, resolution, updatedAt: s.now };
    },
    remove(userId, exceptionId) {
      del.run(userId, exceptionId);
    },
  };
}
