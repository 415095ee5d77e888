import { spawn, type ChildProcess } from 'node:child_process';
import { expect, type Page } from '@playwright/test';
import { DEMO_PASSWORD } from './helpers';
import { serverUrl } from './work-api';

/** The desktop services (browser host) in their own process over `dataDir`: a desk that can be restarted. */
export async function startHost(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/e2e/fixtures/host-process.ts', dataDir, serverUrl()],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const url = await new Promise<string>((done, fail) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /HOST_URL (\S+)/.exec(out);
      if (m?.[1]) done(m[1]);
    });
    child.once('exit', (code) => fail(new Error(`host exited with ${code} before listening`)));
  });
  return { child, url };
}

export async function stopHost(host: { child: ChildProcess }): Promise<void> {
  if (host.child.exitCode !== null) return;
  const exited = new Promise((r) => host.child.once('exit', r));
  host.child.kill('SIGTERM');
  await exited;
}

/** Opens the desk at `url`, signing in when it asks, and waits for the first sync. */
export async function openSignedIn(page: Page, url: string, username: string): Promise<void> {
  await page.goto(url);
  const nav = page.getByRole('navigation', { name: 'Main' });
  const signInButton = page.getByRole('button', { name: 'Sign in' });
  await expect(signInButton.or(nav)).toBeVisible({ timeout: 30_000 });
  if (await signInButton.isVisible()) {
    await page.getByLabel('User name').fill(username);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByLabel('Password').press('Enter');
  }
  await expect(nav).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('status-sync')).toHaveText(/Synced/, { timeout: 90_000 });
}

/** Fails unless keyboard focus is inside an open dialog (a dialog must never open without it). */
export async function expectFocusInDialog(page: Page, what: string): Promise<void> {
  await expect
    .poll(
      () =>
        page.evaluate(
          () => document.activeElement?.closest('[role="dialog"], [role="alertdialog"], .bp6-alert') != null,
        ),
      {
        message: `focus inside the ${what}`,
        timeout: 5_000,
      },
    )
    .toBe(true);
}
