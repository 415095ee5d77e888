import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { BridgeResult } from '@shared/ipc/envelope';
import {
  isChannelName,
  isEventName,
  type Bridge,
  type ChannelName,
  type EventName,
} from '@shared/ipc/channels';
import { BRIDGE_EVENT, BRIDGE_INVOKE } from './bridge-names';

/**
 * The only thing the renderer gets from Electron: invoke a declared channel, subscribe to a
 * declared event. No ipcRenderer, no Node, no generic send.
 */
type Listener = (payload: unknown) => void;
const listeners = new Map<EventName, Set<Listener>>();

ipcRenderer.on(BRIDGE_EVENT, (_event: IpcRendererEvent, name: unknown, payload: unknown) => {
  if (typeof name !== 'string' || !isEventName(name)) return;
  for (const listener of listeners.get(name) ?? []) listener(payload);
});

const bridge: Bridge = {
  invoke(channel, input) {
    if (!isChannelName(channel)) {
      const refused: BridgeResult<never> = {
        ok: false,
        error: { code: 'unknown_channel', message: `no bridge channel named "${String(channel)}"` },
      };
      return Promise.resolve(refused);
    }
    return ipcRenderer.invoke(BRIDGE_INVOKE, channel satisfies ChannelName, input);
  },
  subscribe(event, listener) {
    if (!isEventName(event)) throw new Error(`no bridge event named "${String(event)}"`);
    const set = listeners.get(event) ?? new Set<Listener>();
    const wrapped = listener as Listener;
    set.add(wrapped);
    listeners.set(event, set);
    return () => set.delete(wrapped);
  },
};

contextBridge.exposeInMainWorld('ledgerdesk', bridge);
