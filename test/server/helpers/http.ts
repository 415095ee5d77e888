import { expect } from 'vitest';
import { apiErrorSchema, type ApiError } from '@shared/api/errors';
import { tokenResponseSchema, type TokenResponse } from '@shared/api/auth';

export interface JsonResponse {
  status: number;
  body: unknown;
}

export async function request(
  baseUrl: string,
  path: string,
  init: { method?: string; body?: unknown; token?: string } = {},
): Promise<JsonResponse> {
  const headers: Record<string, string> = {};
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  const res = await fetch(`${baseUrl}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
}

export function expectApiError(res: JsonResponse, status: number, code: ApiError['error']): ApiError {
  expect(res.status).toBe(status);
  const body = apiErrorSchema.parse(res.body);
  expect(body.error).toBe(code);
  return body;
}

export async function login(baseUrl: string, username: string, password: string): Promise<TokenResponse> {
  const res = await request(baseUrl, '/api/auth/login', { body: { username, password } });
  expect(res.status).toBe(200);
  return tokenResponseSchema.parse(res.body);
}
