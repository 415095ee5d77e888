import type { ChannelName } from '@shared/ipc/channels';
import type { Handlers } from './router';

/** The handlers of one feature's channel map (`HandlersOf<typeof teamChannels>`). */
export type HandlersOf<T> = Pick<Handlers, keyof T & ChannelName>;
