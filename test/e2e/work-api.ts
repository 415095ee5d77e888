import { expect } from '@playwright/test';
import { DEMO_PASSWORD } from './helpers';

/** The central API the e2e host syncs with, read directly to check what reached the server. */
export function serverUrl(): string {
  const url = process.env.LEDGERDESK_E2E_SERVER_URL;
  if (!url) throw new Error('LEDGERDESK_E2E_SERVER_URL is not set: the e2e global setup did not run');
  return url;
}

export async function apiToken(username: string): Promise<string> {
  const res = await fetch(`${serverUrl()}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

/** Waits until the server holds the exception in one of these statuses (the push has landed). */
export async function expectServerStatus(id: string, statuses: readonly string[]): Promise<void> {
  const token = await apiToken('lead1');
  await expect
    .poll(
      async () => {
        const res = await fetch(`${serverUrl()}/api/exceptions/${id}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        return res.ok ? ((await res.json()) as { status: string }).status : `http ${res.status}`;
      },
      { timeout: 30_000, message: `${id} on the server` },
    )
    .toMatch(new RegExp(`^(${statuses.join('|')})$`));
}
