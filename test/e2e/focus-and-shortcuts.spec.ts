import { builtScreensFor, screenEntry } from '../../renderer/src/app/screens';
import { expect, test, type Page } from '@playwright/test';
import { chooseType, takeNext } from './workspace-keys';
import { queueCell, queueRows, signIn, waitForSyncedQueue } from './helpers';

/**
 * Issue 11, items 11-15 at the size a BPO desk has: focus lands in each dialog and comes back
 * where it was; the shortcuts dialog is named, closable, fits and lists the screen's keys; saved
 * views show their name and a delete can be undone; the small things a user reads.
 */

test.use({ viewport: { width: 1366, height: 768 } });

/** The focused queue row's index, or null when focus is not on a row. */
async function focusedRowIndex(page: Page): Promise<string | null> {
  return page.evaluate(() => document.activeElement?.closest('.ag-row')?.getAttribute('row-index') ?? null);
}

test.describe('focus, shortcuts and views', () => {
  test.describe.configure({ timeout: 300_000 });

  test('the shortcuts dialog is named, has a close button, fits at 1366x768 and lists the workspace keys', async ({
    page,
  }) => {
    await signIn(page, 'operator1');
    await waitForSyncedQueue(page);

    await page.keyboard.press('Shift+?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole('button', { name: 'Close' })).toBeVisible();
    // Screen keys in the navigation's order (Queue, Settings), then the queue's own.
    const navigation = dialog.getByRole('region', { name: 'Navigation', exact: true });
    await expect(navigation.locator('dt')).toHaveText(
      builtScreensFor(['operator']).map((id) => `Go to ${screenEntry(id).label}`),
    );
    await expect(dialog.getByRole('region', { name: 'Queue', exact: true })).toContainText(
      'Open the focused item',
    );
    await expect(dialog.getByRole('region', { name: 'Workspace', exact: true })).toHaveCount(0);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(dialog).toHaveCount(0);

    await chooseType(page, 'Usage mismatch');
    await takeNext(page, 'Usage mismatch');
    await page.keyboard.press('Shift+?');
    await expect(dialog).toBeVisible();
    const workspace = dialog.getByRole('region', { name: 'Workspace', exact: true });
    await expect(workspace.locator('dt')).toHaveText([
      /^Next step/,
      'Previous step',
      'Go to the resolution',
      'Resolve',
      'Skip with a reason',
      'Write a note for the team',
      'Back to the queue',
    ]);
    await expect(dialog.getByRole('region', { name: 'Work', exact: true })).toContainText(
      'Get the next item',
    );
    // Everything shows without scrolling at 1366x768.
    const box = await dialog.boundingBox();
    expect(box).not.toBeNull();
    expect((box?.y ?? 0) + (box?.height ?? 0)).toBeLessThanOrEqual(768);
    const scrolls = await dialog
      .locator('.bp6-dialog-body')
      .evaluate((el) => el.scrollHeight > el.clientHeight + 1);
    expect(scrolls).toBe(false);
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);

    // Step numbers count the visible steps only: 1, 2, 3 … with no gaps.
    const titles = await page.locator('.ld-step-title').allTextContents();
    expect(titles.map((t) => Number(t.split('.')[0]))).toEqual(titles.map((_, i) => i + 1));
    await expect(page.locator('.ld-sop-head')).toContainText(`of ${titles.length} steps`);
    // Terse tags are explained on hover.
    await expect(page.locator('.ld-sop-head .bp6-tag')).toHaveAttribute('title', /SOP module version/);
    await expect(page.locator('.ld-workspace-bar .bp6-tag', { hasText: 'in hand' })).toHaveAttribute(
      'title',
      /leased to you/,
    );
    await page.keyboard.press('Escape');
  });

  test('focus comes back to the queue row after switching screens and after the release dialog', async ({
    page,
  }) => {
    await signIn(page, 'lead1');
    await waitForSyncedQueue(page);
    await expect(queueCell(page, 0, 'id')).toHaveText(/^EX-/, { timeout: 30_000 });
    await queueCell(page, 3, 'id').click();
    await expect.poll(() => focusedRowIndex(page)).toBe('3');

    await page.keyboard.press('Control+3');
    await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
    await expect(page.locator('#main')).toBeFocused();
    await page.keyboard.press('Control+1');
    await expect.poll(() => focusedRowIndex(page)).toBe('3');

    // Release opens with focus in its reason; cancelling puts focus back on the row.
    await page.keyboard.press('Space');
    await page.getByRole('button', { name: /^Release/ }).click();
    const release = page.getByRole('dialog', { name: /^Release/ });
    await expect(release.getByLabel(/Reason/)).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(release).toHaveCount(0);
    await expect(page.getByRole('button', { name: /^Release/ })).toBeFocused();

    // Reassign by its key from the row: the operator picker has focus, and focus returns to the row.
    await queueCell(page, 3, 'id').focus();
    await page.keyboard.press('Shift+R');
    const reassign = page.getByRole('dialog', { name: /^Reassign/ });
    await expect(reassign.getByLabel('Operator')).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(reassign).toHaveCount(0);
    await expect.poll(() => focusedRowIndex(page)).toBe('3');
  });

  test('Tab passes an evidence grid in one stop', async ({ page }) => {
    await signIn(page, 'operator1');
    await waitForSyncedQueue(page);
    await queueRows(page).first().click();
    await page.keyboard.press('Enter');
    const drawer = page.getByRole('dialog', { name: /^EX-/ });
    await expect(drawer).toBeVisible();
    const grid = drawer.locator('.ld-evidence-grid').first();
    await expect(grid.locator('.ag-cell').first()).toBeVisible({ timeout: 30_000 });
    await grid.locator('.ag-cell').first().click();
    const inGrid = () => page.evaluate(() => !!document.activeElement?.closest('.ld-evidence-grid .ag-root'));
    const whichGrid = () =>
      page.evaluate(() => {
        const grids = [...document.querySelectorAll('.ld-evidence-grid')];
        return grids.findIndex((g) => g.contains(document.activeElement));
      });
    expect(await inGrid()).toBe(true);
    // Arrow keys move inside the grid…
    await page.keyboard.press('ArrowRight');
    expect(await whichGrid()).toBe(0);
    // …and one Tab leaves it (to the next grid or past the evidence), not to the next cell.
    await page.keyboard.press('Tab');
    expect(await whichGrid()).not.toBe(0);
    await page.keyboard.press('Escape');
  });

  test('a saved view shows its name, focus returns to Views after saving, and a delete can be undone', async ({
    page,
  }) => {
    await signIn(page, 'operator1');
    await waitForSyncedQueue(page);
    const views = page.getByTestId('views-button');
    await expect(views).toHaveText('Views');

    await chooseType(page, 'Late metering');
    await views.click();
    await page.getByRole('menuitem', { name: /Save current view/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Save the current view' });
    await expect(dialog.getByLabel('Name')).toBeFocused();
    await page.keyboard.type('Late metering only');
    await page.keyboard.press('Enter');
    await expect(dialog).toHaveCount(0);
    await expect(views).toBeFocused();
    await expect(views).toHaveText('View: Late metering only');

    // Another filter: the name goes; back to the view's filter: it returns.
    await chooseType(page, 'Usage mismatch');
    await expect(views).toHaveText('Views');

    await views.click();
    await page.getByRole('button', { name: 'Delete view Late metering only' }).click();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('status').filter({ hasText: 'Deleted view' })).toContainText(
      'Late metering only',
    );
    await page.getByRole('button', { name: 'Undo' }).click();
    await views.click();
    await expect(page.getByRole('menuitem', { name: /Late metering only/ })).toBeVisible();
    await page.getByRole('menuitem', { name: /Late metering only/ }).click();
    await expect(views).toHaveText('View: Late metering only');
    // Leave the queue as other specs expect it.
    await page.getByLabel('Exception type').selectOption('');
  });
});
