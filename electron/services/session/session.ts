import { z } from 'zod';
import type { TokenResponse } from '@shared/api/auth';
import { sessionSchema, type Session } from '@shared/ipc/channels';
import { BridgeFailure } from '../bridge/bridge-failure';
import type { SecretStore } from './secret-store';
import { createServerClient, ServerError, type AccessTokenSource, type ServerClient } from './server-client';
import { toBridgeFailure } from './server-failure';
import type { LocalStore } from '../store/local-store';

const SESSION_KEY = 'session';
/** Whose data the local queue holds; a different user or server starts from an empty store. */
const DATA_OWNER_KEY = 'session.dataOwner';
export const REFRESH_TOKEN_SECRET = 'refreshToken';

const dataOwnerSchema = z.object({ serverUrl: z.string(), userId: z.string() });

/** Renew the access token this long before it expires, so a request never races the expiry. */
const EXPIRY_MARGIN_MS = 30_000;

export type SessionChange = 'signed_in' | 'signed_out' | 'expired';

export interface SessionService extends AccessTokenSource {
  current(): Session | null;
  signIn(input: { serverUrl?: string | undefined; username: string; password: string }): Promise<Session>;
  signOut(): Promise<void>;
  /** The client for the signed-in server, or null when signed out. */
  client(): ServerClient | null;
  /** Changes on every sign-in and sign-out; work started under one epoch must not land in another. */
  epoch(): number;
  onChange(listener: (change: SessionChange) => void): () => void;
}

export interface SessionOptions {
  store: LocalStore;
  secrets: SecretStore;
  defaultServerUrl: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  now?: () => Date;
  /** Every server answer's Date header (ms): the clock check. */
  onServerTime?: (serverMs: number) => void;
}

export function normalizeServerUrl(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`;
}

export function createSessionService(options: SessionOptions): SessionService {
  const { store, secrets } = options;
  const now = options.now ?? (() => new Date());
  const listeners = new Set<(change: SessionChange) => void>();
  let epoch = 0;
  let access: { token: string; expiresAt: number } | null = null;
  let renewing: Promise<string> | null = null;
  let cachedClient: ServerClient | null = null;
  // This service is the only writer of the token, so one read at start-up suffices; the
  // keychain-backed store decrypts a file on every get, and status reads come often.
  let refreshToken: string | null = secrets.get(REFRESH_TOKEN_SECRET);
  const keepRefreshToken = (token: string | null): void => {
    if (token === null) secrets.delete(REFRESH_TOKEN_SECRET);
    else secrets.set(REFRESH_TOKEN_SECRET, token);
    refreshToken = token;
  };

  const clientFor = (serverUrl: string): ServerClient => {
    if (cachedClient?.baseUrl === serverUrl) return cachedClient;
    cachedClient = createServerClient({
      baseUrl: serverUrl,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.onServerTime ? { onServerTime: options.onServerTime } : {}),
    });
    return cachedClient;
  };
  const notify = (change: SessionChange): void => {
    for (const l of [...listeners]) l(change);
  };
  const keepAccess = (t: TokenResponse): void => {
    access = { token: t.accessToken, expiresAt: now().getTime() + t.expiresIn * 1000 };
  };

  function current(): Session | null {
    const session = store.settings.get(SESSION_KEY, sessionSchema);
    if (!session) return null;
    // Without its refresh token (a keychain reset, a memory-only store after restart) a stored
    // session cannot call the server: report signed out rather than fail on the first sync.
    if (refreshToken === null) return null;
    return session;
  }

  function endSession(): void {
    epoch += 1;
    access = null;
    renewing = null;
    keepRefreshToken(null);
    store.settings.delete(SESSION_KEY);
  }

  async function renew(): Promise<string> {
    // One refresh at a time: the server rotates refresh tokens, so two parallel refreshes
    // would race and one would present an already-used token.
    renewing ??= (async () => {
      const session = current();
      const presented = refreshToken;
      if (!session || !presented) throw new ServerError('unauthorized', 'You are signed out; sign in again.');
      const startedEpoch = epoch;
      let tokens: TokenResponse;
      try {
        tokens = await clientFor(session.serverUrl).refresh(presented);
      } catch (err) {
        if (err instanceof ServerError && (err.kind === 'unauthorized' || err.status === 400)) {
          if (epoch === startedEpoch) {
            endSession();
            notify('expired');
          }
          throw new ServerError('unauthorized', 'Your session has expired; sign in again.', err.status);
        }
        throw err;
      }
      if (epoch !== startedEpoch) throw new ServerError('unauthorized', 'You signed out meanwhile.');
      keepRefreshToken(tokens.refreshToken);
      keepAccess(tokens);
      return tokens.accessToken;
    })().finally(() => {
      renewing = null;
    });
    return renewing;
  }

  return {
    current,
    epoch: () => epoch,
    client() {
      const session = current();
      return session ? clientFor(session.serverUrl) : null;
    },
    async accessToken() {
      if (access && access.expiresAt - EXPIRY_MARGIN_MS > now().getTime()) return access.token;
      return renew();
    },
    renew,
    async signIn(input) {
      let serverUrl: string;
      try {
        serverUrl = normalizeServerUrl(input.serverUrl ?? options.defaultServerUrl);
      } catch {
        throw new BridgeFailure('invalid_input', 'The server address is not a valid URL.', [
          { path: 'serverUrl', message: 'expected an address such as http://127.0.0.1:4780' },
        ]);
      }
      let tokens: TokenResponse;
      try {
        tokens = await clientFor(serverUrl).login({ username: input.username, password: input.password });
      } catch (err) {
        throw toBridgeFailure(err, 'sign_in');
      }
      const session: Session = { user: tokens.user, serverUrl, signedInAt: now().toISOString() };
      epoch += 1;
      keepRefreshToken(tokens.refreshToken);
      keepAccess(tokens);
      store.transaction(() => {
        const owner = store.settings.get(DATA_OWNER_KEY, dataOwnerSchema);
        if (!owner || owner.serverUrl !== serverUrl || owner.userId !== tokens.user.id) {
          store.clearPulledData();
          store.settings.set(DATA_OWNER_KEY, { serverUrl, userId: tokens.user.id });
        }
        store.settings.set(SESSION_KEY, session);
      });
      notify('signed_in');
      return session;
    },
    async signOut() {
      const session = current();
      const presented = refreshToken;
      endSession();
      // A shared laptop: the next person must not find the last operator's queue. Outbox rows
      // stay (tagged with their user) so unsent work is never dropped silently.
      store.transaction(() => {
        store.clearPulledData();
        store.settings.delete(DATA_OWNER_KEY);
      });
      notify('signed_out');
      // Signed out here first, whatever the server says: offline, the token is forgotten locally
      // (nobody holds it any more) and simply expires on the server.
      if (session && presented) {
        await clientFor(session.serverUrl)
          .logout(presented)
          .catch(() => undefined);
      }
    },
    onChange(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}
