import { create } from 'zustand';
import type { AppInfo, Session } from '@shared/ipc/channels';
import { call, describeError, isBridgeCallError, onSessionLost } from '../bridge';
import type { BridgeIssue } from '@shared/ipc/envelope';

export interface SignInFailure {
  message: string;
  code: string;
  issues: readonly BridgeIssue[];
}

interface SessionState {
  phase: 'loading' | 'signed_out' | 'signed_in';
  session: Session | null;
  appInfo: AppInfo | null;
  /** Set when the app could not even read its own state (host down, bridge broken). */
  bootError: string | null;
  signingIn: boolean;
  signInError: SignInFailure | null;
  init(): Promise<void>;
  signIn(input: { serverUrl: string; username: string; password: string }): Promise<boolean>;
  signOut(): Promise<void>;
  clearSignInError(): void;
}

export const useSession = create<SessionState>()((set, get) => ({
  phase: 'loading',
  session: null,
  appInfo: null,
  bootError: null,
  signingIn: false,
  signInError: null,

  async init() {
    set({ phase: 'loading', bootError: null });
    try {
      const [appInfo, session] = await Promise.all([call('app.info', {}), call('session.current', {})]);
      set({ appInfo, session, phase: session ? 'signed_in' : 'signed_out' });
    } catch (e) {
      set({ phase: 'signed_out', bootError: describeError(e) });
    }
  },

  async signIn(input) {
    if (get().signingIn) return false;
    set({ signingIn: true, signInError: null });
    try {
      const serverUrl = input.serverUrl.trim();
      const session = await call('session.signIn', {
        username: input.username,
        password: input.password,
        ...(serverUrl ? { serverUrl } : {}),
      });
      set({ session, phase: 'signed_in', signingIn: false });
      return true;
    } catch (e) {
      set({
        signingIn: false,
        signInError: isBridgeCallError(e)
          ? {
              // The envelope's own text names the channel; a person reads the fields' messages.
              message: e.code === 'invalid_input' ? 'Some details are missing or not valid.' : e.message,
              code: e.code,
              issues: e.issues,
            }
          : { message: describeError(e), code: 'internal', issues: [] },
      });
      return false;
    }
  },

  async signOut() {
    try {
      await call('session.signOut', {});
    } finally {
      set({ session: null, phase: 'signed_out', signInError: null });
    }
  },

  clearSignInError() {
    set({ signInError: null });
  },
}));

// A call refused for want of a session sends the operator back to sign-in, with the reason.
onSessionLost(() => {
  if (useSession.getState().phase !== 'signed_in') return;
  useSession.setState({
    phase: 'signed_out',
    session: null,
    signInError: {
      code: 'session_ended',
      message: 'Your session has ended. Sign in again to continue.',
      issues: [],
    },
  });
});
