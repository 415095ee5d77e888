import { mkdirSync } from 'node:fs';
import { expect, type Page, type TestInfo } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

export const DEMO_PASSWORD = 'ledgerdesk-demo';

export function hostUrl(): string {
  const url = process.env.LEDGERDESK_E2E_URL;
  if (!url) throw new Error('LEDGERDESK_E2E_URL is not set: the e2e global setup did not run');
  return url;
}

/**
 * Open the app on the sign-in screen. The session lives in the host (one local store for all
 * specs, like one desktop install), so a previous spec may have left someone signed in.
 */
export async function openSignedOut(page: Page): Promise<void> {
  await page.goto(hostUrl());
  const nav = page.getByRole('navigation', { name: 'Main' });
  const signInButton = page.getByRole('button', { name: 'Sign in' });
  await expect(signInButton.or(nav)).toBeVisible({ timeout: 30_000 });
  if (await nav.isVisible()) await signOut(page);
  await expect(signInButton).toBeVisible();
}

/** Sign in through the form; leaves the app shell showing. */
export async function signIn(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await openSignedOut(page);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByLabel('Password').press('Enter');
  await expect(nav).toBeVisible({ timeout: 30_000 });
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^User menu/ }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
}

/** Rows the queue grid has rendered with data (loading rows have no id text). */
export function queueRows(page: Page) {
  return page.locator('[data-testid="queue-grid"] .ag-row[row-index]');
}

/**
 * axe on the page as it stands: every impact counts (minor and moderate too), since a screen
 * reader user meets all of them. `within` scans only part of the page (an open dialog: the page
 * behind it was scanned on its own). The full result is attached to the test.
 */
export async function expectNoA11yViolations(
  page: Page,
  testInfo: TestInfo,
  name: string,
  options: { within?: string } = {},
): Promise<void> {
  // Legacy mode runs axe in the page itself: the app has no frames, and the default mode opens a
  // second page to merge frame results, which on a busy machine took longer than the scan.
  let builder = new AxeBuilder({ page }).setLegacyMode(true);
  if (options.within) builder = builder.include(options.within);
  const results = await builder.analyze();
  await testInfo.attach(`axe-${name}.json`, {
    body: JSON.stringify(results.violations, null, 2),
    contentType: 'application/json',
  });
  const summary = results.violations.map(
    (v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.length} nodes) e.g. ${v.nodes[0]?.target.join(' ')}`,
  );
  // Soft: one run reports every screen's violations, and the test still fails.
  expect.soft(summary, `axe found violations on ${name}`).toEqual([]);
}

/** The old name, for specs written before every impact counted: it checks every impact too. */
export const expectNoSeriousA11yViolations = expectNoA11yViolations;

/** A screenshot at the page's size, attached to the test and kept under test-results/screenshots/. */
export async function saveScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  mkdirSync('test-results/screenshots', { recursive: true });
  const path = `test-results/screenshots/${name}.png`;
  await page.screenshot({ path });
  await testInfo.attach(`${name}.png`, { path, contentType: 'image/png' });
}

/** One grid cell by row index and column id (the pinned ID column lives in its own container). */
export function queueCell(page: Page, rowIndex: number, colId: string) {
  return page
    .locator(`[data-testid="queue-grid"] .ag-row[row-index="${rowIndex}"] [col-id="${colId}"]`)
    .first();
}

function digits(text: string | null): number {
  const d = (text ?? '').replace(/[^0-9]/g, '');
  return d ? Number(d) : -1;
}

/**
 * Wait until the first pull after sign-in has landed: the engine is idle, the local store holds
 * exceptions, and the queue's "All" count and total agree with it.
 */
export async function waitForSyncedQueue(page: Page): Promise<number> {
  let local = -1;
  await expect
    .poll(
      async () => {
        const state = await page
          .getByTestId('status-sync')
          .textContent()
          .catch(() => null);
        local = digits(
          await page
            .getByTestId('status-local')
            .textContent()
            .catch(() => null),
        );
        const all = digits(
          await page
            .locator('.ld-chips button[data-status="all"] .ld-chip-count')
            .textContent()
            .catch(() => null),
        );
        const total = digits(
          await page
            .getByTestId('queue-total')
            .textContent()
            .catch(() => null),
        );
        // A later cycle may already be running (the event stream nudges one per server change): the
        // first pull has landed once the store holds rows and the screen agrees with it.
        return (state === 'Synced' || state === 'Syncing…') && local > 0 && all === local && total === local;
      },
      { timeout: 90_000, intervals: [250, 500, 1000] },
    )
    .toBe(true);
  return local;
}
