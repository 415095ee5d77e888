import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import type { SignedInUser } from '../../auth/auth-user';
import { SESSIONS_ENDED_CHANNEL, sessionsEndedSchema } from '../../auth/sessions-ended';
import { FEED_CHANNEL } from '../../db/sequencer';
import type { Database } from '../../db/types';
import { noticeConcerns } from '../exceptions/scope';

const noticeSchema = z.object({ seq: z.number().int().min(0), users: z.array(z.string()).nullable() });

interface Subscriber {
  user: SignedInUser;
  stream: ServerResponse;
}

/**
 * Fans feed commits out to this process's server-sent-event streams. Every sequencer pass that
 * positions feed rows NOTIFYs FEED_CHANNEL inside its transaction; PostgreSQL delivers it on commit to every process
 * LISTENing on the database (PGlite likewise in-process), so an SSE client connected to server A
 * hears about a push applied by server B. A notice names the operators it concerns; leads, admins
 * and QA hear every one (features/exceptions/scope.ts decides).
 */
export class SyncEvents {
  private readonly subscribers = new Set<Subscriber>();
  private unlisten: (() => Promise<void>)[] = [];
  /** Set by stop(): a stream whose handler was still awaiting then must not outlive the server. */
  private stopped = false;

  static async start(db: Database): Promise<SyncEvents> {
    const events = new SyncEvents();
    events.unlisten.push(await db.listen(FEED_CHANNEL, (payload) => events.onNotice(payload)));
    events.unlisten.push(
      await db.listen(SESSIONS_ENDED_CHANNEL, (payload) => events.onSessionsEnded(payload)),
    );
    return events;
  }

  /**
   * A logout, a refresh-token reuse or a deactivation (on any process) ends the session's streams:
   * they were admitted once, at connect, and would otherwise keep telling the user about changes.
   */
  private onSessionsEnded(payload: string): void {
    let ended: z.infer<typeof sessionsEndedSchema>;
    try {
      ended = sessionsEndedSchema.parse(JSON.parse(payload));
    } catch {
      return;
    }
    for (const s of this.subscribers) {
      if (s.user.id !== ended.userId) continue;
      if (ended.sessionId !== null && s.user.sessionId !== ended.sessionId) continue;
      this.subscribers.delete(s);
      s.stream.end();
    }
  }

  /** Streams this process holds open for one user (the per-user cap is checked against it). */
  openFor(userId: string): number {
    let n = 0;
    for (const s of this.subscribers) if (s.user.id === userId) n += 1;
    return n;
  }

  private onNotice(payload: string): void {
    let notice: z.infer<typeof noticeSchema>;
    try {
      notice = noticeSchema.parse(JSON.parse(payload));
    } catch {
      return; // not ours; a malformed notice must not take the process down
    }
    for (const s of this.subscribers) {
      if (noticeConcerns(s.user, notice.users)) writeChanged(s.stream, notice.seq);
    }
  }

  /** Registers an open SSE stream; returns the function that removes it. */
  subscribe(user: SignedInUser, stream: ServerResponse): () => void {
    if (this.stopped) {
      stream.end();
      return () => undefined;
    }
    const subscriber = { user, stream };
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  get size(): number {
    return this.subscribers.size;
  }

  /** Ends every stream (server shutdown: SSE connections would otherwise hold close() open). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const s of this.subscribers) s.stream.end();
    this.subscribers.clear();
    const unlisten = this.unlisten;
    this.unlisten = [];
    await Promise.all(unlisten.map((u) => u()));
  }
}

export function writeChanged(stream: ServerResponse, seq: number): void {
  if (!stream.writableEnded) stream.write(`event: changed\ndata: ${JSON.stringify({ seq })}\n\n`);
}
