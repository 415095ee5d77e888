import type { z } from 'zod';
import {
  logoutResponseSchema,
  tokenResponseSchema,
  type LoginRequest,
  type TokenResponse,
} from '@shared/api/auth';
import { healthResponseSchema, type HealthResponse } from '@shared/api/health';
import type { PullResponse } from '@shared/api/sync';
import { SYNC_PROTOCOL_HEADER, SYNC_PROTOCOL_VERSION } from '@shared/sync/protocol';
import { checkPulledChanges, pullEnvelopeSchema } from '../sync/pull-page-check';
import {
  nextResponseSchema,
  reassignResponseSchema,
  releaseResponseSchema,
  renewResponseSchema,
  type NextRequest,
  type NextResponse,
  type ReassignRequest,
  type ReassignResponse,
  type ReleaseRequest,
  type ReleaseResponse,
  type RenewResponse,
} from '@shared/api/work';
import { usersResponseSchema, type UsersResponse } from '@shared/api/users';
import { exceptionHistorySchema, type ExceptionHistory } from '@shared/api/exceptions';
import { exceptionNotesSchema, type ExceptionNotes } from '@shared/api/notes';
import type { Role } from '@shared/roles';
import { exceptionRecordSchema, type ExceptionRecord } from '@shared/exception';
import { pushResponseSchema, type PushRequest, type PushResponse } from '@shared/sync/mutations';
import { sopsResponseSchema, type SopsResponse } from '@shared/api/sops';
import { evidenceUploadResponseSchema, type EvidenceUploadResponse } from '@shared/api/evidence';
import {
  approvalDecisionResponseSchema,
  approvalsResponseSchema,
  type Approval,
  type ApprovalDecision,
  type ApprovalsResponse,
} from '@shared/api/approvals';
import { API_PATHS } from './api-paths';
import {
  describeNetworkError,
  errorFromResponse,
  jsonBody,
  ServerError,
  withToken,
  type AccessTokenSource,
} from './server-errors';

export { ServerError, type AccessTokenSource, type ServerErrorKind } from './server-errors';

export interface ServerClient {
  readonly baseUrl: string;
  health(): Promise<HealthResponse>;
  login(credentials: LoginRequest): Promise<TokenResponse>;
  refresh(refreshToken: string): Promise<TokenResponse>;
  /** Ends the refresh token's session on the server (its access tokens and event streams too). */
  logout(refreshToken: string): Promise<void>;
  pull(query: { cursor: number; limit: number }, tokens: AccessTokenSource): Promise<PullResponse>;
  push(request: PushRequest, tokens: AccessTokenSource): Promise<PushResponse>;
  next(request: NextRequest, tokens: AccessTokenSource): Promise<NextResponse>;
  renew(leaseIds: readonly string[], tokens: AccessTokenSource): Promise<RenewResponse>;
  /** One exception as the server holds it now; null when absent or outside the caller's scope. */
  exception(id: string, tokens: AccessTokenSource): Promise<ExceptionRecord | null>;
  /** Published SOP modules; `unchanged` when `known` is still the server's revision. */
  sops(known: string | null, tokens: AccessTokenSource): Promise<SopsResponse>;
  approvals(state: Approval['state'], tokens: AccessTokenSource): Promise<ApprovalsResponse>;
  decideApproval(id: string, decision: ApprovalDecision, tokens: AccessTokenSource): Promise<Approval>;
  /** A feature's JSON route, for features that keep their calls in their own module (qa/qa-client.ts). */
  json<S extends z.ZodType>(
    method: 'GET' | 'POST',
    path: string,
    schema: S,
    tokens: AccessTokenSource,
    init?: JsonInit,
  ): Promise<z.output<S>>;
  /** Leads: the exception's audit rows, newest first. */
  exceptionHistory(id: string, limit: number, tokens: AccessTokenSource): Promise<ExceptionHistory>;
  /** An item's notes; null when the server does not show the caller the item. */
  exceptionNotes(id: string, tokens: AccessTokenSource): Promise<ExceptionNotes | null>;
  /** Leads: users (holding `role`) with the exception types each may be allocated. */
  users(role: Role | null, tokens: AccessTokenSource): Promise<UsersResponse>;
  /** Leads: lease one exception to an operator allowed its type. */
  reassign(request: ReassignRequest, tokens: AccessTokenSource): Promise<ReassignResponse>;
  /** The holder or a lead: put one leased exception back in the queue. */
  release(request: ReleaseRequest, tokens: AccessTokenSource): Promise<ReleaseResponse>;
  /** Uploads one evidence file (idempotent: the server keys it by its SHA-256). */
  uploadEvidence(
    file: { sha256: string; type: string; name: string; bytes: Uint8Array },
    tokens: AccessTokenSource,
  ): Promise<EvidenceUploadResponse>;
  /** Downloads an evidence file (leads, QA, admins: any; others: their own); null when absent or not theirs. */
  downloadEvidence(
    sha256: string,
    tokens: AccessTokenSource,
  ): Promise<{ bytes: Uint8Array; type: string; name: string } | null>;
  /**
   * Opens the server-sent-event stream (no timeout: it stays open); the body is the raw
   * text/event-stream. Aborting `signal` closes it.
   */
  events(tokens: AccessTokenSource, signal: AbortSignal): Promise<ReadableStream<Uint8Array>>;
}

export type JsonInit = { body?: unknown; query?: Record<string, string> };

export interface ServerClientOptions {
  baseUrl: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** The sync protocol sent on push, pull and events; null sends none, as the first desks did (tests). */
  protocolVersion?: number | null;
  /** Every answer's Date header (server time, ms), as it arrives. */
  onServerTime?: (serverMs: number) => void;
}

export function createServerClient(options: ServerClientOptions): ServerClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 15_000;
  const doFetch = options.fetch ?? fetch;
  const protocolVersion =
    options.protocolVersion === undefined ? SYNC_PROTOCOL_VERSION : options.protocolVersion;
  const syncHeaders = (): Record<string, string> =>
    protocolVersion === null ? {} : { [SYNC_PROTOCOL_HEADER]: String(protocolVersion) };
  const noteServerTime = (response: Response): void => {
    const date = response.headers.get('date');
    const serverMs = date ? Date.parse(date) : Number.NaN;
    if (Number.isFinite(serverMs)) options.onServerTime?.(serverMs);
  };

  async function request<S extends z.ZodType>(
    method: 'GET' | 'POST',
    path: string,
    schema: S,
    init: { body?: unknown; token?: string; query?: Record<string, string>; sync?: boolean } = {},
  ): Promise<z.output<S>> {
    const url = new URL(baseUrl + path);
    for (const [k, v] of Object.entries(init.query ?? {})) url.searchParams.set(k, v);
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...(init.sync ? syncHeaders() : {}),
    };
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    if (init.token) headers.authorization = `Bearer ${init.token}`;

    let response: Response;
    let text: string;
    try {
      response = await doFetch(url, {
        method,
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      noteServerTime(response);
      text = await response.text();
    } catch (err) {
      if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
        throw new ServerError(
          'timeout',
          `The server at ${baseUrl} did not answer within ${timeoutMs / 1000} s.`,
        );
      }
      throw new ServerError(
        'offline',
        `Cannot reach the server at ${baseUrl}: ${describeNetworkError(err)}.`,
      );
    }

    const body = jsonBody(text);

    if (!response.ok) throw errorFromResponse(response.status, body, path);
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new ServerError(
        'server',
        `The server answered ${path} with an unexpected shape (${parsed.error.issues[0]?.path.join('.') ?? ''}: ${parsed.error.issues[0]?.message ?? 'invalid'}).`,
        response.status,
      );
    }
    return parsed.data;
  }

  return {
    baseUrl,
    health: () => request('GET', API_PATHS.health, healthResponseSchema),
    login: (credentials) => request('POST', API_PATHS.login, tokenResponseSchema, { body: credentials }),
    refresh: (refreshToken) =>
      request('POST', API_PATHS.refresh, tokenResponseSchema, { body: { refreshToken } }),
    logout: async (refreshToken) => {
      await request('POST', API_PATHS.logout, logoutResponseSchema, { body: { refreshToken } });
    },
    pull: (query, tokens) =>
      withToken(tokens, (token) =>
        request('GET', API_PATHS.pull, pullEnvelopeSchema, {
          token,
          query: { cursor: String(query.cursor), limit: String(query.limit) },
          sync: true,
        }),
      ).then((page) =>
        checkPulledChanges(
          page,
          (problem) =>
            new ServerError(
              'server',
              `The server answered ${API_PATHS.pull} with an unexpected shape (${problem}).`,
              200,
            ),
        ),
      ),
    push: (body, tokens) =>
      withToken(tokens, (token) =>
        request('POST', API_PATHS.push, pushResponseSchema, { token, body, sync: true }),
      ),
    next: (body, tokens) =>
      withToken(tokens, (token) => request('POST', API_PATHS.next, nextResponseSchema, { token, body })),
    renew: (leaseIds, tokens) =>
      withToken(tokens, (token) =>
        request('POST', API_PATHS.renew, renewResponseSchema, { token, body: { leaseIds: [...leaseIds] } }),
      ),
    sops: (known, tokens) =>
      withToken(tokens, (token) =>
        request('GET', API_PATHS.sops, sopsResponseSchema, { token, query: known ? { known } : {} }),
      ),
    approvals: (state, tokens) =>
      withToken(tokens, (token) =>
        request('GET', API_PATHS.approvals, approvalsResponseSchema, { token, query: { state } }),
      ),
    decideApproval: async (id, decision, tokens) =>
      (
        await withToken(tokens, (token) =>
          request(
            'POST',
            `${API_PATHS.approvals}/${encodeURIComponent(id)}/decision`,
            approvalDecisionResponseSchema,
            { token, body: decision },
          ),
        )
      ).approval,
    json: (method, path, schema, tokens, init = {}) =>
      withToken(tokens, (token) => request(method, path, schema, { ...init, token })),
    exceptionHistory: (id, limit, tokens) =>
      withToken(tokens, (token) =>
        request('GET', `${API_PATHS.exception}${encodeURIComponent(id)}/history`, exceptionHistorySchema, {
          token,
          query: { limit: String(limit) },
        }),
      ),
    async exceptionNotes(id, tokens) {
      try {
        return await withToken(tokens, (token) =>
          request('GET', `${API_PATHS.exception}${encodeURIComponent(id)}/notes`, exceptionNotesSchema, {
            token,
          }),
        );
      } catch (err) {
        if (err instanceof ServerError && err.status === 404) return null;
        throw err;
      }
    },
    users: (role, tokens) =>
      withToken(tokens, (token) =>
        request('GET', API_PATHS.users, usersResponseSchema, { token, query: role ? { role } : {} }),
      ),
    reassign: (body, tokens) =>
      withToken(tokens, (token) =>
        request('POST', API_PATHS.reassign, reassignResponseSchema, { token, body }),
      ),
    release: (body, tokens) =>
      withToken(tokens, (token) =>
        request('POST', API_PATHS.release, releaseResponseSchema, { token, body }),
      ),
    async exception(id, tokens) {
      try {
        return await withToken(tokens, (token) =>
          request('GET', API_PATHS.exception + encodeURIComponent(id), exceptionRecordSchema, { token }),
        );
      } catch (err) {
        if (err instanceof ServerError && err.status === 404) return null;
        throw err;
      }
    },
    uploadEvidence: (file, tokens) =>
      withToken(tokens, async (token) => {
        const path = API_PATHS.evidence + file.sha256;
        const url = new URL(baseUrl + path);
        url.searchParams.set('name', file.name);
        let response: Response;
        let text: string;
        try {
          response = await doFetch(url, {
            method: 'PUT',
            headers: {
              accept: 'application/json',
              'content-type': file.type,
              authorization: `Bearer ${token}`,
            },
            body: file.bytes as Uint8Array<ArrayBuffer>,
            // A 10 MB file on a slow link takes longer than an ordinary request.
            signal: AbortSignal.timeout(Math.max(timeoutMs, 120_000)),
          });
          text = await response.text();
        } catch (err) {
          throw new ServerError(
            'offline',
            `Cannot reach the server at ${baseUrl}: ${describeNetworkError(err)}.`,
          );
        }
        const body = jsonBody(text);
        if (!response.ok) throw errorFromResponse(response.status, body, path);
        const parsed = evidenceUploadResponseSchema.safeParse(body);
        if (!parsed.success) {
          throw new ServerError(
            'server',
            `The server answered ${path} with an unexpected shape.`,
            response.status,
          );
        }
        return parsed.data;
      }),
    downloadEvidence: (sha256, tokens) =>
      withToken(tokens, async (token) => {
        const path = API_PATHS.evidence + sha256;
        let response: Response;
        let bytes: Uint8Array;
        try {
          response = await doFetch(new URL(baseUrl + path), {
            headers: { authorization: `Bearer ${token}` },
            signal: AbortSignal.timeout(Math.max(timeoutMs, 120_000)),
          });
          bytes = new Uint8Array(await response.arrayBuffer());
        } catch (err) {
          throw new ServerError(
            'offline',
            `Cannot reach the server at ${baseUrl}: ${describeNetworkError(err)}.`,
          );
        }
        if (response.status === 404) return null;
        if (!response.ok) {
          throw errorFromResponse(response.status, jsonBody(new TextDecoder().decode(bytes)), path);
        }
        const type = (response.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
        const encoded = /filename\*=UTF-8''([^;]+)/i.exec(
          response.headers.get('content-disposition') ?? '',
        )?.[1];
        let name = 'evidence';
        try {
          if (encoded) name = decodeURIComponent(encoded);
        } catch {
          // A malformed name from the server: keep the neutral default.
        }
        return { bytes, type, name };
      }),
    events: (tokens, signal) =>
      withToken(tokens, async (token) => {
        // The timeout covers the answer's headers only; the stream itself stays open.
        const connect = new AbortController();
        const onAbort = (): void => connect.abort();
        signal.addEventListener('abort', onAbort, { once: true });
        const timer = setTimeout(onAbort, timeoutMs);
        let response: Response;
        try {
          response = await doFetch(new URL(baseUrl + API_PATHS.events), {
            headers: {
              accept: 'text/event-stream',
              authorization: `Bearer ${token}`,
              ...syncHeaders(),
            },
            signal: connect.signal,
          });
        } catch (err) {
          signal.removeEventListener('abort', onAbort);
          throw new ServerError(
            'offline',
            `Cannot reach the server at ${baseUrl}: ${describeNetworkError(err)}.`,
          );
        } finally {
          clearTimeout(timer);
        }
        noteServerTime(response);
        if (!response.ok || !response.body) {
          const text = await response.text().catch(() => '');
          throw errorFromResponse(response.status, jsonBody(text), API_PATHS.events);
        }
        return response.body;
      }),
  };
}
