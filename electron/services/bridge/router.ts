import type { z } from 'zod';
import {
  channels,
  isChannelName,
  type ChannelName,
  type ChannelOutput,
  type ChannelParsedInput,
  type Session,
} from '@shared/ipc/channels';
import { issuesFromZod, type BridgeResult } from '@shared/ipc/envelope';
import { BridgeFailure } from './bridge-failure';

/** What a handler is given besides its input: the session its channel's access guaranteed. */
export type HandlerContext<C extends ChannelName> = (typeof channels)[C]['access'] extends 'none'
  ? { session: Session | null }
  : { session: Session };

export type Handlers = {
  [C in ChannelName]: (input: ChannelParsedInput<C>, context: HandlerContext<C>) => Promise<ChannelOutput<C>>;
};

/** Where the router reads who is signed in, to enforce each channel's declared access. */
export interface AccessGate {
  session(): Session | null;
  /** A server client is at hand (a signed-in session with its server); `online` channels need it. */
  online(): boolean;
}

export interface Router {
  /** Never throws: every outcome, including bugs, comes back as an envelope. */
  dispatch(channel: string, rawInput: unknown): Promise<BridgeResult<unknown>>;
}

export interface RouterOptions {
  access: AccessGate;
  /** Check each answer against the channel's output schema; on by default outside production. */
  validateOutput?: boolean;
  /** Where unexpected errors go (they never reach the renderer). */
  onInternalError?: (channel: string, err: unknown) => void;
}

const defaultValidateOutput = (): boolean => process.env.NODE_ENV !== 'production';

export function createRouter(handlers: Handlers, options: RouterOptions): Router {
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
    const session = options.access.session();
    if (spec.access !== 'none') {
      if (!session) throw new BridgeFailure('not_signed_in', 'Sign in to see the queue.');
      if (spec.access === 'online' && !options.access.online())
        throw new BridgeFailure('not_signed_in', 'Sign in first.');
    }
    const handler = handlers[channel] as (
      input: unknown,
      context: { session: Session | null },
    ) => Promise<unknown>;
    const value = await handler(parsed.data, { session });
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
