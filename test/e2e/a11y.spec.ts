import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { pressKeys } from '../../renderer/src/commands/commands';
import { screenEntry } from '../../renderer/src/app/screens';
import { chooseType, keys, resolveWith, takeNext } from './workspace-keys';
import {
  expectNoA11yViolations,
  openSignedOut,
  queueRows,
  saveScreenshot,
  signIn,
  signOut,
  waitForSyncedQueue,
} from './helpers';
import { expectServerStatus } from './work-api';

/**
 * axe, every impact, on every screen and dialog in both themes, at the 1366x768 a BPO desk has.
 * A dialog is scanned open (axe sees only what is in the DOM), on its own: the page behind it was
 * scanned before. The light run also saves the screenshots of the queue, workspace and inbox.
 */

const THEMES = ['light', 'dark'] as const;
type Theme = (typeof THEMES)[number];
const DIALOG = '.bp6-portal';

test.use({ viewport: { width: 1366, height: 768 } });

async function expectTheme(page: Page, theme: Theme): Promise<void> {
  if (theme === 'dark') await expect(page.locator('body')).toHaveClass(/bp6-dark/);
  else await expect(page.locator('body')).not.toHaveClass(/bp6-dark/);
}

/** Opens the shortcuts dialog with Shift+? from wherever focus is, scans it and closes it. */
async function checkShortcuts(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await page.keyboard.press('Shift+?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(dialog).toBeVisible();
  await expectNoA11yViolations(page, testInfo, name, { within: DIALOG });
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
}

/** A write-off above its SOP threshold, so the inbox has a request (small variances go through). */
async function requestApproval(page: Page): Promise<string> {
  await signIn(page, 'operator1');
  await waitForSyncedQueue(page);
  await chooseType(page, 'Short payment');
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const taken = await takeNext(page, 'Short payment');
    await keys(page, ['Alt+j', 'Tab', 'Space', 'Alt+j', 'Space']);
    if (await page.locator('[data-step-id="reseller-margin"]').isVisible())
      await keys(page, ['Alt+j', 'Space']);
    await resolveWith(page, /^53 /, /^Write off$/, 'Customer will not pay the balance; write it off.');
    await expect(page.getByTestId('work-notice')).toContainText(taken);
    if ((await page.getByTestId('work-notice').textContent())?.includes('waiting for a lead')) {
      await expectServerStatus(taken, ['pending_approval']);
      await page.keyboard.press('Escape');
      await signOut(page);
      return taken;
    }
  }
  throw new Error('no write-off above the threshold in five short payments');
}

for (const theme of THEMES) {
  test.describe(`accessibility, ${theme} theme`, () => {
    test.describe.configure({ timeout: 600_000 });
    test.beforeEach(async ({ page }) => {
      await page.addInitScript((t) => window.localStorage.setItem('ledgerdesk.theme', t), theme);
    });

    test('sign-in screen', async ({ page }, testInfo) => {
      await openSignedOut(page);
      await expectTheme(page, theme);
      await expectNoA11yViolations(page, testInfo, `${theme}-sign-in`);
    });

    test('operator queue, its drawer, the save-view and shortcuts dialogs, settings', async ({
      page,
    }, testInfo) => {
      await signIn(page, 'operator1');
      await waitForSyncedQueue(page);
      await expectTheme(page, theme);
      await expectNoA11yViolations(page, testInfo, `${theme}-queue`);
      if (theme === 'light') await saveScreenshot(page, testInfo, 'queue-1366x768');
      await checkShortcuts(page, testInfo, `${theme}-queue-shortcuts`);

      await queueRows(page).first().click();
      await page.keyboard.press('Enter');
      const drawer = page.getByRole('dialog', { name: /^EX-/ });
      await expect(drawer).toBeVisible();
      await expectNoA11yViolations(page, testInfo, `${theme}-drawer`, { within: DIALOG });
      await page.keyboard.press('Escape');
      await expect(drawer).toHaveCount(0);

      await page.getByRole('button', { name: /^Views/ }).click();
      await page.getByRole('menuitem', { name: /Save current view/ }).click();
      const save = page.getByRole('dialog', { name: 'Save the current view' });
      await expect(save).toBeVisible();
      await expectNoA11yViolations(page, testInfo, `${theme}-save-view`, { within: DIALOG });
      await page.keyboard.press('Escape');
      await expect(save).toHaveCount(0);

      await page.keyboard.press('Control+3');
      await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
      await expectNoA11yViolations(page, testInfo, `${theme}-settings`);
      await checkShortcuts(page, testInfo, `${theme}-settings-shortcuts`);
    });

    test('operator workspace, its shortcuts and the skip dialog', async ({ page }, testInfo) => {
      await signIn(page, 'operator1');
      await waitForSyncedQueue(page);
      await chooseType(page, 'Usage mismatch');
      await takeNext(page, 'Usage mismatch');
      await expectTheme(page, theme);
      await expectNoA11yViolations(page, testInfo, `${theme}-workspace`);
      if (theme === 'light') await saveScreenshot(page, testInfo, 'workspace-1366x768');
      await checkShortcuts(page, testInfo, `${theme}-workspace-shortcuts`);

      await page.keyboard.press('Alt+s');
      const skip = page.getByRole('dialog', { name: /^Skip/ });
      await expect(skip).toBeVisible();
      await expectNoA11yViolations(page, testInfo, `${theme}-skip`, { within: DIALOG });
      await page.keyboard.press('Escape');
      await expect(skip).toHaveCount(0);
    });

    test('lead queue with the reassign and release dialogs', async ({ page }, testInfo) => {
      await signIn(page, 'lead1');
      await waitForSyncedQueue(page);
      await expectTheme(page, theme);
      await expectNoA11yViolations(page, testInfo, `${theme}-lead-queue`);

      await queueRows(page).first().click();
      await page.keyboard.press('Escape');
      await page.keyboard.press('Space');
      await page.getByRole('button', { name: /^Reassign/ }).click();
      const reassign = page.getByRole('dialog', { name: /^Reassign/ });
      await expect(reassign).toBeVisible();
      await expectNoA11yViolations(page, testInfo, `${theme}-reassign`, { within: DIALOG });
      await page.keyboard.press('Escape');
      await expect(reassign).toHaveCount(0);
      await page.getByRole('button', { name: /^Release/ }).click();
      const release = page.getByRole('dialog', { name: /^Release/ });
      await expect(release).toBeVisible();
      await expectNoA11yViolations(page, testInfo, `${theme}-release`, { within: DIALOG });
      await page.keyboard.press('Escape');
      await expect(release).toHaveCount(0);
    });

    test('approvals inbox with a request open', async ({ page }, testInfo) => {
      const id = await requestApproval(page);
      await signIn(page, 'lead1');
      await expectTheme(page, theme);
      await page.keyboard.press('Control+2');
      const row = page.getByRole('row', { name: new RegExp(id) });
      await expect(row).toBeVisible({ timeout: 30_000 });
      await row.click();
      await expect(page.locator('#approval-h')).toContainText(id);
      await expectNoA11yViolations(page, testInfo, `${theme}-approvals`);
      if (theme === 'light') await saveScreenshot(page, testInfo, 'approvals-1366x768');
      await checkShortcuts(page, testInfo, `${theme}-approvals-shortcuts`);
    });

    test("lead dashboard, its drill into the queue, month-end close; an operator's own numbers", async ({
      page,
    }, testInfo) => {
      await signIn(page, 'lead1');
      await expectTheme(page, theme);
      await page.keyboard.press(pressKeys(screenEntry('dashboard').combo));
      await expect(page.getByTestId('kpi-scope')).toBeVisible({ timeout: 30_000 });
      await expectNoA11yViolations(page, testInfo, `${theme}-dashboard`);
      if (theme === 'light') await saveScreenshot(page, testInfo, 'dashboard-1366x768');
      await page.getByRole('button', { name: /^Backlog/ }).click();
      await expect(page.getByTestId('drill-notice')).toBeVisible();
      await expectNoA11yViolations(page, testInfo, `${theme}-queue-drilled`);
      await page.getByRole('button', { name: 'Show the whole queue' }).click();
      await page.keyboard.press(pressKeys(screenEntry('dashboard').combo));
      await page.getByRole('tab', { name: 'Month-end close' }).click();
      await expect(page.getByText('Blocking items')).toBeVisible({ timeout: 30_000 });
      await expectNoA11yViolations(page, testInfo, `${theme}-month-end-close`);

      await signIn(page, 'operator1');
      await page.keyboard.press(pressKeys(screenEntry('my-numbers').combo));
      await expect(page.getByTestId('my-numbers')).toBeVisible({ timeout: 30_000 });
      await expectNoA11yViolations(page, testInfo, `${theme}-my-numbers`);
    });

    test('lead reconciliation screen and its shortcuts', async ({ page }, testInfo) => {
      await signIn(page, 'lead1');
      await expectTheme(page, theme);
      await page.keyboard.press(pressKeys(screenEntry('recon').combo));
      await expect(page.getByRole('heading', { name: 'Reconciliation', level: 1 })).toBeVisible();
      // Loaded: the imported files (or "No files yet") and the runs (or "No run yet") are shown.
      await expect(page.getByText('No files yet').or(page.getByTestId('recon-batches'))).toBeVisible();
      await expect(page.getByText('No run yet').or(page.getByTestId('recon-runs'))).toBeVisible();
      await expectNoA11yViolations(page, testInfo, `${theme}-reconciliation`);
      if (theme === 'light') await saveScreenshot(page, testInfo, 'reconciliation-1366x768');
      await checkShortcuts(page, testInfo, `${theme}-reconciliation-shortcuts`);
    });

    test("a QA reviewer's sample inbox", async ({ page }, testInfo) => {
      await signIn(page, 'qa1');
      await expectTheme(page, theme);
      await expect(page.getByRole('heading', { name: 'Sample to review' })).toBeVisible();
      await expect(page.getByTestId('qa-total')).toBeVisible({ timeout: 30_000 });
      await expectNoA11yViolations(page, testInfo, `${theme}-qa-sample`);
    });

    test("a trainer's SOP library", async ({ page }, testInfo) => {
      await signIn(page, 'trainer1');
      await expectTheme(page, theme);
      await expect(page.getByRole('heading', { name: 'SOPs', level: 1 })).toBeVisible();
      await expect(page.getByTestId('sop-library-grid')).toBeVisible({ timeout: 30_000 });
      await expectNoA11yViolations(page, testInfo, `${theme}-sop-library`);
    });
  });
}
