import { appendFileSync } from 'node:fs';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { callTiming, newCallTiming, type CallTiming } from '../db/call-timing';
import { startStallRecorder, type StallOverlap } from './stall-recorder';

/** One measured request, as a line of the timing file (benches join it on `call`). */
export interface RequestTimingLine extends StallOverlap, CallTiming {
  /** The caller's `x-call-id` header, or null. */
  call: string | null;
  url: string;
  /** Epoch ms when the request reached the server's handlers. */
  at: number;
  serverMs: number;
}

/** GC entries reach the observer a little after the pause: a line is written once they are in. */
const SETTLE_MS = 300;

/**
 * LEDGERDESK_TIMING_FILE: every request is timed (the wait for a pooled connection, its SQL, GC
 * and event-loop blockage while it ran) and written as a JSON line to that file, so a bench can
 * say why its slowest calls were slow. Off by default; it costs a lag probe and a file write.
 */
export function installRequestTiming(app: FastifyInstance, file: string): void {
  const stalls = startStallRecorder();
  const started = new WeakMap<FastifyRequest, { start: number; timing: CallTiming }>();
  let pending: string[] = [];
  const flush = (): void => {
    if (pending.length === 0) return;
    appendFileSync(file, pending.join(''));
    pending = [];
  };
  const flusher = setInterval(flush, 1000);
  flusher.unref();
  app.addHook('onRequest', (request, _reply, done) => {
    const timing = newCallTiming();
    started.set(request, { start: performance.now(), timing });
    callTiming.run(timing, done);
  });
  app.addHook('onResponse', (request, _reply, done) => {
    const entry = started.get(request);
    done();
    if (!entry) return;
    const end = performance.now();
    // Copied now: a statement that finishes after the answer (a background pass started inside
    // the request's async context) is not part of this call's time.
    const timing = { ...entry.timing, backendPids: [...entry.timing.backendPids] };
    const call = request.headers['x-call-id'];
    setTimeout(() => {
      const line: RequestTimingLine = {
        call: typeof call === 'string' ? call : null,
        url: request.url,
        at: performance.timeOrigin + entry.start,
        serverMs: end - entry.start,
        ...timing,
        ...stalls.overlap(entry.start, end),
      };
      pending.push(`${JSON.stringify(line)}\n`);
    }, SETTLE_MS).unref();
  });
  app.addHook('onClose', async () => {
    clearInterval(flusher);
    stalls.stop();
    flush();
  });
}
