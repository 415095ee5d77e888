import type { z } from 'zod';
import { BridgeFailure } from '../bridge/bridge-failure';
import type { ServerClient } from './server-client';
import { toBridgeFailure } from './server-failure';
import {
  describeNetworkError,
  errorFromResponse,
  jsonBody,
  ServerError,
  withToken,
  type AccessTokenSource,
} from './server-errors';

/** A module file is at most 5 MiB; on a slow link that takes longer than an ordinary request. */
const TIMEOUT_MS = 120_000;

export interface JsonRequest {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  query?: Record<string, string>;
  /** JSON, or the raw bytes of an uploaded file. */
  body?: unknown;
  raw?: Uint8Array;
}

/**
 * Calls to the admin routes the sync client does not need (the SOP library, people): JSON both
 * ways, except an upload (the file is the body) and a download (the answer is the file). A 400
 * keeps the server's list of problems, so the renderer can show each next to its field or file.
 */
export function createJsonClient(client: () => ServerClient, tokens: AccessTokenSource) {
  async function send(req: JsonRequest, token: string): Promise<Response> {
    const url = new URL(client().baseUrl + req.path);
    for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.set(k, v);
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: '*/*' };
    let body: BodyInit | undefined;
    if (req.raw) {
      headers['content-type'] = 'application/octet-stream';
      body = req.raw as Uint8Array<ArrayBuffer>;
    } else if (req.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(req.body);
    }
    let response: Response;
    try {
      response = await fetch(url, {
        method: req.method,
        headers,
        body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (err) {
      throw new ServerError('offline', `Cannot reach the server: ${describeNetworkError(err)}.`);
    }
    if (!response.ok) {
      throw errorFromResponse(response.status, jsonBody(await response.text()), req.path);
    }
    return response;
  }

  /** A refused load keeps the server's problems (file and line, sheet and row, field). */
  function failure(err: unknown): unknown {
    if (err instanceof ServerError && err.status === 400 && err.apiError) {
      return new BridgeFailure('invalid_input', err.apiError.message, err.apiError.issues);
    }
    return toBridgeFailure(err);
  }

  return {
    async json<S extends z.ZodType>(req: JsonRequest, schema: S): Promise<z.output<S>> {
      try {
        const response = await withToken(tokens, (token) => send(req, token));
        const parsed = schema.safeParse(await response.json());
        if (!parsed.success) {
          throw new BridgeFailure(
            'server_error',
            `The server answered ${req.path} with an unexpected shape.`,
          );
        }
        return parsed.data;
      } catch (err) {
        throw failure(err);
      }
    },
    async bytes(req: JsonRequest): Promise<Uint8Array> {
      try {
        const response = await withToken(tokens, (token) => send(req, token));
        return new Uint8Array(await response.arrayBuffer());
      } catch (err) {
        throw failure(err);
      }
    },
  };
}
