import type { sessionChannels } from '@shared/ipc/channels';
import type { AppContext } from '../app-context';
import type { HandlersOf } from '../bridge/handler-types';

export function sessionHandlers({ info, recovery, session }: AppContext): HandlersOf<typeof sessionChannels> {
  return {
    'app.info': async () => ({
      ...info,
      storeRecovery: recovery
        ? {
            movedTo: recovery.movedTo,
            outbox: recovery.outbox,
            drafts: recovery.drafts,
            message: recovery.message,
          }
        : null,
    }),
    'session.current': async () => session.current(),
    'session.signIn': (input) => session.signIn(input),
    'session.signOut': async () => {
      await session.signOut();
      return { signedOut: true as const };
    },
  };
}
