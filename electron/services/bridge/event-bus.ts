import type { EventName, EventPayload } from '@shared/ipc/channels';

export type EventListener<E extends EventName> = (payload: EventPayload<E>) => void;
/** What a transport (ipc.ts, the browser host's WebSocket) listens with: every event, by name. */
export type AnyEventListener = (event: EventName, payload: EventPayload<EventName>) => void;

export interface EventBus {
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  on<E extends EventName>(event: E, listener: EventListener<E>): () => void;
  subscribe(listener: AnyEventListener): () => void;
}

export function createEventBus(onListenerError?: (err: unknown) => void): EventBus {
  const all = new Set<AnyEventListener>();
  const report = (err: unknown): void => {
    if (onListenerError) onListenerError(err);
    else console.error('[events] a listener threw', err);
  };
  return {
    emit(event, payload) {
      // A failing listener (a closed window, a dropped socket) must not stop the others.
      for (const l of [...all]) {
        try {
          l(event, payload);
        } catch (err) {
          report(err);
        }
      }
    },
    on(event, listener) {
      const wrapped: AnyEventListener = (name, payload) => {
        if (name === event) listener(payload as EventPayload<typeof event>);
      };
      all.add(wrapped);
      return () => void all.delete(wrapped);
    },
    subscribe(listener) {
      all.add(listener);
      return () => void all.delete(listener);
    },
  };
}
