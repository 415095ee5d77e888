import type {
  Bridge,
  ChannelInput,
  ChannelName,
  ChannelOutput,
  EventName,
  EventPayload,
} from '@shared/ipc/channels';
import { BrowserBridge, type ConnectionState } from './browser-bridge';
import { BridgeCallError } from './errors';

export { BridgeCallError, describeError, isBridgeCallError } from './errors';
export type { ConnectionState } from './browser-bridge';

declare global {
  interface Window {
    /** Exposed by Electron's preload; absent in browser mode. */
    ledgerdesk?: Bridge;
  }
}

let bridge: Bridge | null = null;
let browserBridge: BrowserBridge | null = null;

/** The typed bridge: Electron's preload when present, otherwise the HTTP/WebSocket client. */
export function getBridge(): Bridge {
  if (bridge) return bridge;
  if (window.ledgerdesk) {
    bridge = window.ledgerdesk;
  } else {
    browserBridge = new BrowserBridge();
    bridge = browserBridge;
  }
  return bridge;
}

export function transportMode(): 'electron' | 'browser' {
  getBridge();
  return browserBridge ? 'browser' : 'electron';
}

/**
 * Follow the event transport (browser mode's WebSocket). Electron's IPC never drops, so there
 * the listener hears 'open' once.
 */
export function onTransportChange(listener: (state: ConnectionState) => void): () => void {
  getBridge();
  if (browserBridge) return browserBridge.onConnectionChange(listener);
  listener('open');
  return () => undefined;
}

const sessionLostListeners = new Set<() => void>();

/** Hear when any call answers `not_signed_in` (the session ended under the UI: expiry, sign-out elsewhere). */
export function onSessionLost(listener: () => void): () => void {
  sessionLostListeners.add(listener);
  return () => {
    sessionLostListeners.delete(listener);
  };
}

/** Call a channel and unwrap its envelope; a failure throws a `BridgeCallError` with code and issues. */
export async function call<C extends ChannelName>(
  channel: C,
  input: ChannelInput<C>,
): Promise<ChannelOutput<C>> {
  const result = await getBridge().invoke(channel, input);
  if (result.ok) return result.value;
  if (result.error.code === 'not_signed_in') for (const l of [...sessionLostListeners]) l();
  throw new BridgeCallError(channel, result.error);
}

export function subscribe<E extends EventName>(
  event: E,
  listener: (payload: EventPayload<E>) => void,
): () => void {
  return getBridge().subscribe(event, listener);
}
