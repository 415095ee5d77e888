import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import type { AuthUser } from '../../auth/auth-user';
import { FEED_CHANNEL } from '../../db/sequencer';
import type { Database } from '../../db/types';
import { noticeConcerns } from '../exceptions/scope';

const noticeSchema = z.object({ seq: z.number().int().min(0), users: z.array(z.string()).nullable() });

interface Subscriber {
  user: AuthUser;
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
  private unlisten: (() => Promise<void>) | null = null;

  static async start(db: Database): Promise<SyncEvents> {
    const events = new SyncEvents();
    events.unlisten = await db.listen(FEED_CHANNEL, (payload) => events.onNotice(payload));
    return events;
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
  subscribe(user: AuthUser, stream: ServerResponse): () => void {
    const subscriber = { user, stream };
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  get size(): number {
    return this.subscribers.size;
  }

  /** Ends every stream (server shutdown: SSE connections would otherwise hold close() open). */
  async stop(): Promise<void> {
    for (const s of this.subscribers) s.stream.end();
    this.subscribers.clear();
    await this.unlisten?.();
    this.unlisten = null;
  }
}

export function writeChanged(stream: ServerResponse, seq: number): void {
  if (!stream.writableEnded) stream.write(`event: changed\ndata: ${JSON.stringify({ seq })}\n\n`);
}
