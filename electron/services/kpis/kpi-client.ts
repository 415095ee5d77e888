import type { z } from 'zod';
import { closeReadinessSchema, type CloseReadiness } from '@shared/close/close';
import { kpiDrillSchema, type KpiDrill } from '@shared/kpis/drill';
import type { ExceptionFilter, KpiQuery } from '@shared/kpis/filters';
import { kpiReportSchema, myKpisSchema, type KpiReport, type MyKpis } from '@shared/kpis/report';
import {
  describeNetworkError,
  errorFromResponse,
  ServerError,
  withToken,
  type AccessTokenSource,
} from '../session/server-errors';
import { toBridgeFailure } from '../session/server-failure';

/**
 * The dashboard's and the close's calls to the central API. Kept beside the feature rather than in
 * the session's client: these are read-mostly lead screens, nothing the sync or work path uses.
 */
export interface KpiClient {
  report(query: KpiQuery): Promise<KpiReport>;
  drill(filter: ExceptionFilter): Promise<KpiDrill>;
  mine(): Promise<MyKpis>;
  readiness(period: string): Promise<CloseReadiness>;
  signOff(period: string, as: 'preparer' | 'reviewer'): Promise<CloseReadiness>;
  reopen(period: string, reason: string): Promise<CloseReadiness>;
}

export interface KpiClientOptions {
  baseUrl: () => string;
  tokens: AccessTokenSource;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

type Query = Record<string, string | undefined>;

export function createKpiClient({
  baseUrl,
  tokens,
  fetch: doFetch = fetch,
  timeoutMs = 30_000,
}: KpiClientOptions): KpiClient {
  async function send<S extends z.ZodType>(
    path: string,
    schema: S,
    query: Query,
    body?: unknown,
  ): Promise<z.output<S>> {
    const url = new URL(baseUrl().replace(/\/+$/, '') + path);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, v);
    // The server's refusal (a blocking item named, the same person reviewing) reaches the screen as said.
    return withToken(tokens, async (token) => {
      let response: Response;
      try {
        response = await doFetch(url, {
          method: body === undefined ? 'GET' : 'POST',
          headers: {
            accept: 'application/json',
            authorization: `Bearer ${token}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        throw new ServerError('offline', `Cannot reach the server: ${describeNetworkError(err)}.`);
      }
      const json: unknown = await response.json().catch(() => undefined);
      if (!response.ok) throw errorFromResponse(response.status, json, path);
      const parsed = schema.safeParse(json);
      if (!parsed.success)
        throw new ServerError('server', `The server answered ${path} with an unexpected shape.`);
      return parsed.data;
    }).catch((err: unknown) => {
      throw toBridgeFailure(err);
    });
  }
  const close = (period: string) => `/api/close/${encodeURIComponent(period)}`;
  return {
    report: (q) => send('/api/kpis', kpiReportSchema, { ...q }),
    drill: (filter) => send('/api/kpis/drill', kpiDrillSchema, { filter: JSON.stringify(filter) }),
    mine: () => send('/api/kpis/me', myKpisSchema, {}),
    readiness: (period) => send(close(period), closeReadinessSchema, {}),
    signOff: (period, as) => send(`${close(period)}/sign-off`, closeReadinessSchema, {}, { as }),
    reopen: (period, reason) => send(`${close(period)}/reopen`, closeReadinessSchema, {}, { reason }),
  };
}
