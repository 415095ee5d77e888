import type { z } from 'zod';
import {
  channels,
  isChannelName,
  type ChannelName,
  type ChannelOutput,
  type ChannelParsedInput,
} from '@shared/ipc/channels';
import { issuesFromZod, type BridgeResult } from '@shared/ipc/envelope';
import { BridgeFailure } from './bridge-failure';

export type Handlers = {
  [C in ChannelName]: (input: ChannelParsedInput<C>) => Promise<ChannelOutput<C>>;
};

export interface Router {
  /** Never throws: every outcome, including bugs, comes back as an envelope. */
  dispatch(channel: string, rawInput: unknown): Promise<BridgeResult<unknown>>;
}

export interface RouterOptions {
  /** Check each answer against the channel's output schema; on by default outside production. */
  validateOutput?: boolean;
  /** Where unexpected errors go (they never reach the renderer). */
  onInternalError?: (channel: string, err: unknown) => void;
}

const defaultValidateOutput = (): boolean => process.env.NODE_ENV !== 'production';

export function createRouter(handlers: Handlers, options: RouterOptions = {}): Router {
  const validateOutput = options.validateOutput ?? defaultValidateOutput();
  const onInternalError =
    options.onInternalError ??
    ((channel: string, err: unknown) => console.error(`[bridge] ${channel} failed`, err));

  async function run<C extends ChannelName>(channel: C, rawInput: unknown): Promise<BridgeResult<unknown>> {
    const spec = channels[channel];
    const parsed = (spec.input as z.ZodType).safeParse(rawInput);
    if (!parsed.success) {
      return {
        ok: false,
        error: {
          code: 'invalid_input',
          message: `The input for ${channel} is not valid.`,
          issues: issuesFromZod(parsed.error),
        },
      };
    }
    const handler = handlers[channel] as (input: unknown) => Promise<unknown>;
    const value = await handler(parsed.data);
    if (validateOutput) {
      const checked = (spec.output as z.ZodType).safeParse(value);
      if (!checked.success) {
        onInternalError(
          channel,
          new Error(`output of ${channel} does not match its schema: ${checked.error.message}`),
        );
        return {
          ok: false,
          error: { code: 'internal', message: `The answer to ${channel} had an unexpected shape.` },
        };
      }
    }
    return { ok: true, value };
  }

  return {
    async dispatch(channel, rawInput) {
      if (!isChannelName(channel)) {
        return {
          ok: false,
          error: {
            code: 'unknown_channel',
            message: `There is no channel named "${channel.slice(0, 100)}".`,
          },
        };
      }
      try {
        return await run(channel, rawInput);
      } catch (err) {
        if (err instanceof BridgeFailure) {
          return {
            ok: false,
            error: { code: err.code, message: err.message, ...(err.issues ? { issues: err.issues } : {}) },
          };
        }
        onInternalError(channel, err);
        return {
          ok: false,
          error: { code: 'internal', message: `Something went wrong while handling ${channel}.` },
        };
      }
    },
  };
}
