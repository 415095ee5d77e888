import type { Router } from '../../electron/services/bridge/router';
import { channels, type ChannelInput, type ChannelName, type ChannelOutput } from '@shared/ipc/channels';
import type { BridgeResult } from '@shared/ipc/envelope';

/** Dispatch with the channel's types: the value is parsed with its output schema. */
export async function call<C extends ChannelName>(
  router: Router,
  channel: C,
  input: ChannelInput<C>,
): Promise<BridgeResult<ChannelOutput<C>>> {
  const result = await router.dispatch(channel, input);
  if (!result.ok) return result;
  return { ok: true, value: channels[channel].output.parse(result.value) as ChannelOutput<C> };
}

export function ok<T>(result: BridgeResult<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}
