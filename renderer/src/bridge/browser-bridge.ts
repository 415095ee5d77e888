import { z } from 'zod';
import {
  channels,
  events,
  isEventName,
  type Bridge,
  type ChannelInput,
  type ChannelName,
  type ChannelOutput,
  type EventName,
  type EventPayload,
} from '@shared/ipc/channels';
import { bridgeErrorSchema, issuesFromZod, type BridgeResult } from '@shared/ipc/envelope';

/**
 * Browser mode: the same `Bridge` as Electron's preload, carried over HTTP (invoke) and a
 * WebSocket (events) to the browser host that runs the very same service router.
 */

const envelopeSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: bridgeErrorSchema }),
]);

const eventMessageSchema = z.object({ event: z.string(), payload: z.unknown() });

type AnyListener = (payload: unknown) => void;

export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface BrowserBridgeOptions {
  /** Origin of the browser host; defaults to the page's own origin. */
  baseUrl?: string;
  /** Called whenever the event socket opens or drops (the UI shows it, and re-reads state on reopen). */
  onConnectionChange?: (state: ConnectionState) => void;
}

const BACKOFF_START_MS = 500;
const BACKOFF_MAX_MS = 15_000;

export class BrowserBridge implements Bridge {
  private readonly baseUrl: string;
  private readonly listeners = new Map<EventName, Set<AnyListener>>();
  private readonly connectionListeners = new Set<(state: ConnectionState) => void>();
  private socket: WebSocket | null = null;
  private backoffMs = BACKOFF_START_MS;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private state: ConnectionState = 'closed';

  constructor(options: BrowserBridgeOptions = {}) {
    this.baseUrl = (options.baseUrl ?? window.location.origin).replace(/\/+$/, '');
    if (options.onConnectionChange) this.connectionListeners.add(options.onConnectionChange);
  }

  async invoke<C extends ChannelName>(
    channel: C,
    input: ChannelInput<C>,
  ): Promise<BridgeResult<ChannelOutput<C>>> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}/bridge/invoke/${encodeURIComponent(channel)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(input ?? {}),
        credentials: 'same-origin',
      });
    } catch (e) {
      return {
        ok: false,
        error: {
          code: 'internal',
          message: `Cannot reach the Ledgerdesk host at ${this.baseUrl} (${e instanceof Error ? e.message : String(e)}).`,
        },
      };
    }

    let body: unknown;
    try {
      body = await response.json();
    } catch {
      return {
        ok: false,
        error: {
          code: 'internal',
          message: `The Ledgerdesk host answered ${channel} with HTTP ${response.status} and no JSON envelope.`,
        },
      };
    }

    const envelope = envelopeSchema.safeParse(body);
    if (!envelope.success) {
      return {
        ok: false,
        error: {
          code: 'internal',
          message: `The Ledgerdesk host answered ${channel} with HTTP ${response.status} and an unexpected body.`,
          issues: issuesFromZod(envelope.error),
        },
      };
    }
    if (!envelope.data.ok) return { ok: false, error: envelope.data.error };

    // Wire JSON is untrusted: check the value against the channel's declared output schema.
    const outputSchema: z.ZodType<ChannelOutput<C>> = channels[channel].output as unknown as z.ZodType<
      ChannelOutput<C>
    >;
    const parsed = outputSchema.safeParse(envelope.data.value);
    if (!parsed.success) {
      return {
        ok: false,
        error: {
          code: 'internal',
          message: `The answer to ${channel} does not match its declared shape.`,
          issues: issuesFromZod(parsed.error),
        },
      };
    }
    return { ok: true, value: parsed.data };
  }

  subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    const schema: z.ZodType<EventPayload<E>> = events[event] as unknown as z.ZodType<EventPayload<E>>;
    const wrapped: AnyListener = (payload) => {
      const parsed = schema.safeParse(payload);
      if (parsed.success) listener(parsed.data);
      else console.warn(`[bridge] dropped malformed ${event} event`, parsed.error.issues);
    };
    set.add(wrapped);
    this.ensureSocket();
    return () => {
      set.delete(wrapped);
    };
  }

  onConnectionChange(listener: (state: ConnectionState) => void): () => void {
    this.connectionListeners.add(listener);
    listener(this.state);
    return () => {
      this.connectionListeners.delete(listener);
    };
  }

  private setState(state: ConnectionState): void {
    if (state === this.state) return;
    this.state = state;
    for (const l of this.connectionListeners) l(state);
  }

  private ensureSocket(): void {
    if (this.socket || this.reconnectTimer) return;
    const url = new URL('/bridge/events', this.baseUrl);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    this.setState('connecting');
    const socket = new WebSocket(url);
    this.socket = socket;

    socket.addEventListener('open', () => {
      this.backoffMs = BACKOFF_START_MS;
      this.setState('open');
    });
    socket.addEventListener('message', (ev: MessageEvent) => {
      if (typeof ev.data !== 'string') return;
      let raw: unknown;
      try {
        raw = JSON.parse(ev.data);
      } catch {
        return;
      }
      const msg = eventMessageSchema.safeParse(raw);
      if (!msg.success || !isEventName(msg.data.event)) return;
      const set = this.listeners.get(msg.data.event);
      if (!set) return;
      for (const l of [...set]) l(msg.data.payload);
    });
    socket.addEventListener('close', () => {
      this.socket = null;
      this.setState('closed');
      this.scheduleReconnect();
    });
    // 'error' is always followed by 'close'; reconnect is handled there.
  }

  private scheduleReconnect(): void {
    if (this.reconnectTimer) return;
    // Exponential backoff with jitter so a restarted host is not hit by every tab at once.
    const delay = Math.min(BACKOFF_MAX_MS, this.backoffMs) * (0.75 + Math.random() * 0.5);
    this.backoffMs = Math.min(BACKOFF_MAX_MS, this.backoffMs * 2);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.ensureSocket();
    }, delay);
  }
}
