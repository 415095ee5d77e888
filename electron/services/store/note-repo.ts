import type { Note } from '@shared/api/notes';
import type { SqliteDatabase } from './database';

/** A note as the desk shows it: `sending` until the server has it, `refused` with the reason. */
export interface LocalNote extends Note {
  delivery: 'sent' | 'sending' | 'refused';
  /** Why the server refused it (refused only). */
  problem: string | null;
}

export interface NoteRepo {
  /** A note written here (idempotent on its id). */
  add(note: Note): void;
  /** The server's thread for an item; its notes replace any local copy of the same id. */
  store(notes: readonly Note[]): void;
  /** Oldest first, with each note's delivery read from the outbox. */
  forException(exceptionId: string): LocalNote[];
}

interface Row {
  id: string;
  exception_id: string;
  author_id: string;
  author_name: string | null;
  at: string;
  text: string;
  state: string | null;
  last_error: string | null;
}

export function createNoteRepo(db: SqliteDatabase): NoteRepo {
  const upsert = db.prepare<[string, string, string, string | null, string, string]>(
    `INSERT INTO notes (id, exception_id, author_id, author_name, at, text) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET author_name = excluded.author_name, at = excluded.at, text = excluded.text`,
  );
  // An outbox row still there means the server has not applied the note yet (applied rows are
  // deleted); rejected and failed rows say why.
  const list = db.prepare<[string], Row>(
    `SELECT n.*, o.state, o.last_error FROM notes n LEFT JOIN outbox o ON o.mutation_id = n.id
      WHERE n.exception_id = ? ORDER BY n.at, n.id`,
  );
  const write = (n: Note): void => {
    upsert.run(n.id, n.exceptionId, n.authorId, n.authorName, n.at, n.text);
  };
  return {
    add: write,
    store(notes) {
      for (const n of notes) write(n);
    },
    forException(exceptionId) {
      return list.all(exceptionId).map((r) => {
        const refused = r.state === 'rejected' || r.state === 'failed';
        return {
          id: r.id,
          exceptionId: r.exception_id,
          authorId: r.author_id,
          authorName: r.author_name,
          at: r.at,
          text: r.text,
          delivery: r.state === null ? 'sent' : refused ? 'refused' : 'sending',
          problem: refused ? r.last_error : null,
        };
      });
    },
  };
}
