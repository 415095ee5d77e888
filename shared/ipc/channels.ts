import { z } from 'zod';
import type { BridgeResult } from './envelope';
import { sessionChannels } from './session-channels';
import { queueChannels } from './queue-channels';
import { exceptionChannels } from './exception-channels';
import { syncChannels } from './sync-channels';
import { workChannels } from './work-channels';
import { notesChannels } from './notes-channels';
import { checklistChannels } from './checklist-channels';
import { evidenceChannels } from './evidence-channels';
import { approvalsChannels } from './approvals-channels';
import { sopsChannels } from './sops-channels';
import { peopleChannels } from './people-channels';
import { teamChannels } from './team-channels';
import { kpisChannels } from './kpis-channels';
import { qaChannels } from './qa-channels';
import { reconChannels } from './recon-channels';
import { syncStatusSchema } from './sync-channels';

export * from './session-channels';
export * from './queue-channels';
export * from './exception-channels';
export * from './sync-channels';
export * from './work-channels';
export * from './notes-channels';
export * from './checklist-channels';
export * from './evidence-channels';
export * from './approvals-channels';
export * from './sops-channels';
export * from './people-channels';
export * from './team-channels';
export * from './kpis-channels';
export * from './qa-channels';
export * from './recon-channels';
export * from './channel-spec';

/**
 * The one bridge between the renderer and the main-process services: each feature declares its
 * channels (input and output schema, access) in its own `*-channels.ts`, merged here into one
 * map. Electron's ipcMain binding and the browser-mode host both validate with these before any
 * service runs, the router enforces each channel's access, and the renderer's client is typed
 * from them.
 */
export const channels = {
  ...sessionChannels,
  ...queueChannels,
  ...exceptionChannels,
  ...syncChannels,
  ...workChannels,
  ...notesChannels,
  ...checklistChannels,
  ...evidenceChannels,
  ...approvalsChannels,
  ...sopsChannels,
  ...peopleChannels,
  ...teamChannels,
  ...kpisChannels,
  ...qaChannels,
  ...reconChannels,
} as const;

export type ChannelName = keyof typeof channels;
export type ChannelInput<C extends ChannelName> = z.input<(typeof channels)[C]['input']>;
export type ChannelParsedInput<C extends ChannelName> = z.output<(typeof channels)[C]['input']>;
export type ChannelOutput<C extends ChannelName> = z.output<(typeof channels)[C]['output']>;

export const CHANNEL_NAMES = Object.keys(channels) as ChannelName[];

export function isChannelName(name: string): name is ChannelName {
  return Object.prototype.hasOwnProperty.call(channels, name);
}

/** Events pushed from main to renderer; `subscribe` accepts only these names. */
export const events = {
  'sync.status': syncStatusSchema,
  'queue.changed': z.object({ reason: z.enum(['pulled', 'local_change', 'signed_out']) }),
  /** The local leases changed: prefetched, renewed, lost, or finished here. Read `work.leases`. */
  'work.changed': z.object({
    reason: z.enum(['prefetched', 'renewed', 'lost', 'local_change', 'signed_out']),
  }),
} as const;

export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;
export const EVENT_NAMES = Object.keys(events) as EventName[];

export function isEventName(name: string): name is EventName {
  return Object.prototype.hasOwnProperty.call(events, name);
}

/** What preload exposes on `window.ledgerdesk`; the browser-mode client implements the same shape. */
export interface Bridge {
  invoke<C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<BridgeResult<ChannelOutput<C>>>;
  subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}
