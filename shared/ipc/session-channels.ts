import { z } from 'zod';
import { userSchema } from '../roles';
import { noInput, type ChannelSpec } from './channel-spec';

export const sessionSchema = z.object({
  user: userSchema,
  serverUrl: z.url(),
  signedInAt: z.iso.datetime({ offset: true }),
});
export type Session = z.infer<typeof sessionSchema>;

export const signInInputSchema = z
  .object({
    serverUrl: z.url().optional(),
    username: z.string().trim().min(1, 'enter your user name').max(64),
    password: z.string().min(1, 'enter your password').max(256),
  })
  .strict();

export const appInfoSchema = z.object({
  version: z.string(),
  mode: z.enum(['electron', 'browser']),
  dataDir: z.string(),
  defaultServerUrl: z.url(),
  /**
   * Set when start-up found the local database damaged, moved it aside and started a new one:
   * what was kept, in words for the operator (shown until the app restarts).
   */
  storeRecovery: z
    .object({
      movedTo: z.string(),
      outbox: z.number().int().min(0),
      drafts: z.number().int().min(0),
      message: z.string(),
    })
    .nullable()
    .optional(),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

/** The app and the session: who is signed in, to which server. */
export const sessionChannels = {
  'app.info': { input: noInput, output: appInfoSchema, access: 'none' },
  'session.current': { input: noInput, output: sessionSchema.nullable(), access: 'none' },
  'session.signIn': { input: signInInputSchema, output: sessionSchema, access: 'none' },
  'session.signOut': { input: noInput, output: z.object({ signedOut: z.literal(true) }), access: 'none' },
} as const satisfies Record<string, ChannelSpec>;
