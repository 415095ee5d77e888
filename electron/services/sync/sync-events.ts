import { changedEventSchema } from '@shared/api/sync';
import { backoffDelay, type BackoffPolicy } from './backoff';

/** One server-sent event (text/event-stream, WHATWG HTML §9.2). */
export interface ServerSentEvent {
  event: string;
  data: string;
}

/**
 * Splits a text/event-stream into events: `event:` and `data:` fields up to a blank line;
 * comments (`:`) and unknown fields are ignored; `retry:` is reported to `onRetry`.
 */
export async function readEventStream(
  body: ReadableStream<Uint8Array>,
  onEvent: (e: ServerSentEvent) => void,
  onRetry?: (ms: number) => void,
): Promise<void> {
  const decoder = new TextDecoder();
  let buffer = '';
  let event = '';
  let data: string[] = [];
  const line = (text: string): void => {
    if (text === '') {
      if (data.length > 0) onEvent({ event: event || 'message', data: data.join('\n') });
      event = '';
      data = [];
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
    else if (field === 'retry' && /^\d+$/.test(value)) onRetry?.(Number(value));
  };
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let nl: number;
      while ((nl = buffer.search(/\r\n|\r|\n/)) >= 0) {
        const sep = buffer.startsWith('\r\n', nl) ? 2 : 1;
        line(buffer.slice(0, nl));
        buffer = buffer.slice(nl + sep);
      }
    }
  } finally {
    reader.releaseLock();
  }
}

export interface SyncEventsOptions {
  /** Opens the stream (the server client's `events`, with the session's token). */
  connect(signal: AbortSignal): Promise<ReadableStream<Uint8Array>>;
  /** The server committed feed rows up to `seq` that concern this user. */
  onChanged(seq: number): void;
  /** The stream is open: the server is reachable. */
  onOpen(): void;
  /** The stream failed or ended; it reconnects by itself after a backoff. */
  onDown(err: unknown): void;
  backoff: BackoffPolicy;
}

export interface SyncEventsSubscription {
  stop(): void;
}

/**
 * Listens to GET /api/sync/events while the session lasts, reconnecting with backoff and full
 * jitter. Fetch-based (not EventSource) so the token travels in the Authorization header.
 */
export function subscribeSyncEvents(options: SyncEventsOptions): SyncEventsSubscription {
  const abort = new AbortController();
  let failures = 0;

  const sleep = (ms: number): Promise<void> =>
    new Promise((done) => {
      if (abort.signal.aborted) return done();
      const timer = setTimeout(done, ms);
      timer.unref?.();
      abort.signal.addEventListener('abort', () => (clearTimeout(timer), done()), { once: true });
    });

  void (async () => {
    while (!abort.signal.aborted) {
      try {
        const body = await options.connect(abort.signal);
        failures = 0;
        options.onOpen();
        await readEventStream(body, (e) => {
          if (e.event !== 'changed') return;
          try {
            options.onChanged(changedEventSchema.parse(JSON.parse(e.data)).seq);
          } catch {
            // a malformed event must not end the subscription
          }
        });
        if (!abort.signal.aborted) options.onDown(new Error('the server closed the event stream'));
      } catch (err) {
        if (abort.signal.aborted) break;
        options.onDown(err);
      }
      failures += 1;
      await sleep(backoffDelay(failures, options.backoff));
    }
  })();

  return {
    stop() {
      abort.abort();
    },
  };
}
