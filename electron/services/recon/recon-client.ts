import { createHash } from 'node:crypto';
import type { z } from 'zod';
import {
  ingestBatchesResponseSchema,
  ingestRejectedSchema,
  ingestUploadResponseSchema,
  type IngestBatchesResponse,
} from '@shared/api/ingest';
import {
  accountMappingResponseSchema,
  accountMappingsResponseSchema,
  reconRunDetailSchema,
  reconRunsResponseSchema,
  runReconResponseSchema,
  skuMappingResponseSchema,
  skuMappingsResponseSchema,
  type AccountMappingBody,
  type SkuMappingBody,
} from '@shared/api/recon';
import type { ImportSummary } from '@shared/ingest/summary';
import type { ChannelOutput } from '@shared/ipc/channels';
import {
  describeNetworkError,
  errorFromResponse,
  ServerError,
  withToken,
  type AccessTokenSource,
} from '../session/server-errors';

/** A month of lines can take minutes to match; an ordinary call gives up much sooner. */
const RUN_TIMEOUT_MS = 15 * 60_000;
const UPLOAD_TIMEOUT_MS = 5 * 60_000;
const CALL_TIMEOUT_MS = 30_000;

export interface ReconClientOptions {
  baseUrl: string;
  tokens: AccessTokenSource;
  fetch?: typeof fetch;
}

interface Sent {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  timeoutMs: number;
  json?: unknown;
  bytes?: Uint8Array;
  query?: Record<string, string>;
}

/** The lead's ingest and reconciliation calls (kept apart from the sync client, which is at its size). */
export function createReconClient({ baseUrl, tokens, fetch: doFetch = fetch }: ReconClientOptions) {
  const root = baseUrl.replace(/\/+$/, '');

  /** Sends one request; answers the status and the parsed JSON body (undefined when none). */
  const send = (req: Sent): Promise<{ status: number; body: unknown }> =>
    withToken(tokens, async (token) => {
      const url = new URL(root + req.path);
      for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.set(k, v);
      const headers: Record<string, string> = {
        accept: 'application/json',
        authorization: `Bearer ${token}`,
      };
      if (req.json !== undefined) headers['content-type'] = 'application/json';
      if (req.bytes) headers['content-type'] = 'application/octet-stream';
      let response: Response;
      let text: string;
      try {
        response = await doFetch(url, {
          method: req.method,
          headers,
          body: req.bytes
            ? (req.bytes as Uint8Array<ArrayBuffer>)
            : req.json === undefined
              ? undefined
              : JSON.stringify(req.json),
          signal: AbortSignal.timeout(req.timeoutMs),
        });
        text = await response.text();
      } catch (err) {
        throw new ServerError('offline', `Cannot reach the server at ${root}: ${describeNetworkError(err)}.`);
      }
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = undefined;
      }
      if (response.status === 401) throw errorFromResponse(401, body, req.path);
      return { status: response.status, body };
    });

  const parse = <S extends z.ZodType>(
    schema: S,
    res: { status: number; body: unknown },
    path: string,
  ): z.output<S> => {
    if (res.status < 200 || res.status >= 300) throw errorFromResponse(res.status, res.body, path);
    const parsed = schema.safeParse(res.body);
    if (!parsed.success)
      throw new ServerError('server', `The server answered ${path} with an unexpected shape.`, res.status);
    return parsed.data;
  };

  const call = async <S extends z.ZodType>(
    schema: S,
    req: Omit<Sent, 'timeoutMs'> & { timeoutMs?: number },
  ) => parse(schema, await send({ timeoutMs: CALL_TIMEOUT_MS, ...req }), req.path);

  return {
    /** A refused file is an answer (every problem listed), not an error. */
    async upload(file: {
      name: string;
      format?: string | undefined;
      bytes: Uint8Array;
    }): Promise<ImportSummary> {
      const path = '/api/ingest/files';
      const res = await send({
        method: 'POST',
        path,
        bytes: file.bytes,
        query: { name: file.name, ...(file.format ? { format: file.format } : {}) },
        timeoutMs: UPLOAD_TIMEOUT_MS,
      });
      if (res.status === 422) {
        const rejected = ingestRejectedSchema.parse(res.body);
        return {
          file: file.name,
          outcome: 'rejected',
          format: rejected.format,
          sha256: createHash('sha256').update(file.bytes).digest('hex'),
          rows: 0,
          batchId: null,
          previous: null,
          problems: rejected.problems,
          moreProblems: rejected.moreProblems,
        };
      }
      return parse(ingestUploadResponseSchema, res, path).summary;
    },
    batches: (): Promise<IngestBatchesResponse> =>
      call(ingestBatchesResponseSchema, { method: 'GET', path: '/api/ingest/batches' }),
    runs: () => call(reconRunsResponseSchema, { method: 'GET', path: '/api/recon/runs' }),
    run: (period: string): Promise<ChannelOutput<'recon.run'>> =>
      call(runReconResponseSchema, {
        method: 'POST',
        path: '/api/recon/runs',
        json: { period },
        timeoutMs: RUN_TIMEOUT_MS,
      }),
    runDetail: (id: string) =>
      call(reconRunDetailSchema, { method: 'GET', path: `/api/recon/runs/${encodeURIComponent(id)}` }),
    accountMappings: () =>
      call(accountMappingsResponseSchema, { method: 'GET', path: '/api/recon/mappings/accounts' }),
    saveAccountMapping: (body: AccountMappingBody) =>
      call(accountMappingResponseSchema, { method: 'PUT', path: '/api/recon/mappings/accounts', json: body }),
    skuMappings: () => call(skuMappingsResponseSchema, { method: 'GET', path: '/api/recon/mappings/skus' }),
    saveSkuMapping: (body: SkuMappingBody) =>
      call(skuMappingResponseSchema, { method: 'PUT', path: '/api/recon/mappings/skus', json: body }),
  };
}

export type ReconClient = ReturnType<typeof createReconClient>;
