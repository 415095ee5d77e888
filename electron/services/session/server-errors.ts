import { apiErrorSchema, type ApiError } from '@shared/api/errors';
import { updateRequiredSchema, type UpdateRequired } from '@shared/api/sync';

/**
 * Why a call to the central API failed, in the terms the app acts on: offline (retry later),
 * unauthorized (refresh or sign in again), rejected (the server said no to this request),
 * server (the server or its answer is broken), update_required (the server does not speak this
 * app's sync protocol: stop syncing, keep the outbox, until one of the two is updated).
 */
export type ServerErrorKind =
  'offline' | 'timeout' | 'unauthorized' | 'rejected' | 'server' | 'update_required';

export class ServerError extends Error {
  constructor(
    readonly kind: ServerErrorKind,
    message: string,
    readonly status?: number,
    readonly apiError?: ApiError,
    /** On `update_required`: the protocol versions the server serves. */
    readonly updateRequired?: UpdateRequired,
  ) {
    super(message);
    this.name = 'ServerError';
  }

  /** No answer at all: the network, DNS, a refused connection or a timeout. */
  get isConnectivity(): boolean {
    return this.kind === 'offline' || this.kind === 'timeout';
  }
}

/** Supplies the bearer token; `renew` refreshes it after a 401 (once per request). */
export interface AccessTokenSource {
  accessToken(): Promise<string>;
  renew(): Promise<string>;
}

/** Calls with the current access token; after a 401 refreshes it once and tries again. */
export async function withToken<T>(
  tokens: AccessTokenSource,
  send: (token: string) => Promise<T>,
): Promise<T> {
  try {
    return await send(await tokens.accessToken());
  } catch (err) {
    // The access token may simply have expired: refresh once, then give up.
    if (!(err instanceof ServerError) || err.kind !== 'unauthorized') throw err;
    return send(await tokens.renew());
  }
}

export function errorFromResponse(status: number, body: unknown, path: string): ServerError {
  const update = status === 426 ? updateRequiredSchema.safeParse(body) : null;
  if (update?.success) {
    return new ServerError('update_required', update.data.message, status, undefined, update.data);
  }
  const api = apiErrorSchema.safeParse(body);
  const apiError = api.success ? api.data : undefined;
  const detail = apiError?.message;
  if (status === 401) {
    return new ServerError(
      'unauthorized',
      detail ?? 'The server did not accept the credentials.',
      status,
      apiError,
    );
  }
  if (status >= 500) {
    return new ServerError(
      'server',
      `The server failed on ${path} (HTTP ${status}${detail ? `: ${detail}` : ''}).`,
      status,
      apiError,
    );
  }
  return new ServerError(
    'rejected',
    detail ?? `The server refused ${path} (HTTP ${status}).`,
    status,
    apiError,
  );
}

export function describeNetworkError(err: unknown): string {
  // undici puts the useful part (ECONNREFUSED, ENOTFOUND) on `cause`.
  if (err instanceof Error) {
    const cause = (err as Error & { cause?: unknown }).cause;
    if (cause && typeof cause === 'object' && 'code' in cause && typeof cause.code === 'string')
      return cause.code;
    return err.message;
  }
  return String(err);
}

/** An answer's body as JSON; undefined when empty or not JSON (an error page from a proxy). */
export function parseJsonText(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
