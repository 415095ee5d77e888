import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { STATUS_LABELS } from '@shared/exception-status';
import { expectNoA11yViolations, queueCell, queueRows, signIn, waitForSyncedQueue } from './helpers';

function parseCount(text: string | null): number {
  const digits = (text ?? '').replace(/[^0-9]/g, '');
  if (!digits) throw new Error(`no number in "${text}"`);
  return Number(digits);
}

async function waitForRows(page: Page): Promise<void> {
  await expect(queueCell(page, 0, 'id')).toHaveText(/^EX-/, { timeout: 30_000 });
}

test.describe('queue', () => {
  test.describe.configure({ timeout: 150_000 });
  test.beforeEach(async ({ page }) => {
    await signIn(page, 'operator1');
    await waitForSyncedQueue(page);
    await waitForRows(page);
  });

  test('lists the demo exceptions with a total, exact money and SLA', async ({ page }, testInfo) => {
    const total = parseCount(await page.getByTestId('queue-total').textContent());
    expect(total).toBeGreaterThan(0);
    expect(await queueRows(page).count()).toBeGreaterThan(10);

    await expect(queueCell(page, 0, 'expected')).toHaveText(/^-?[\d,]+(\.\d+)? [A-Z]{3}$/);
    await expect(queueCell(page, 0, 'sla')).toHaveText(/(left|overdue)$/);

    // The status bar reads the sync engine: local count and the signed-in user.
    await expect(page.getByTestId('status-local')).not.toHaveText('0');
    await expect(page.getByTestId('status-user')).not.toBeEmpty();

    await expectNoA11yViolations(page, testInfo, 'queue');

    mkdirSync('test-results/artifacts', { recursive: true });
    const path = 'test-results/artifacts/queue.png';
    await page.screenshot({ path, fullPage: false });
    await testInfo.attach('queue.png', { path, contentType: 'image/png' });
  });

  test('a status chip filters the rows and the total follows its count', async ({ page }) => {
    const allTotal = parseCount(await page.getByTestId('queue-total').textContent());
    // Pick a status that narrows the list: some rows, but not all of them.
    let chosen: { status: string; label: string; count: number } | null = null;
    for (const [status, label] of Object.entries(STATUS_LABELS)) {
      const count = parseCount(
        await page.locator(`.ld-chips button[data-status="${status}"] .ld-chip-count`).textContent(),
      );
      if (count > 0 && count < allTotal) {
        chosen = { status, label, count };
        break;
      }
    }
    if (!chosen) throw new Error('no status chip narrows the demo queue');
    const chip = page.locator(`.ld-chips button[data-status="${chosen.status}"]`);
    const chipCount = chosen.count;

    await chip.click();
    await expect(chip).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByTestId('queue-total')).toHaveText(
      new RegExp(`^${chipCount.toLocaleString('en-US')} `),
    );
    await waitForRows(page);
    const statuses = await queueRows(page).locator('[col-id="status"]').allTextContents();
    expect(statuses.length).toBeGreaterThan(0);
    expect(new Set(statuses)).toEqual(new Set([chosen.label]));

    await page.locator('.ld-chips button[data-status="all"]').click();
    await expect(page.getByTestId('queue-total')).toHaveText(
      new RegExp(`^${allTotal.toLocaleString('en-US')} `),
    );
  });

  test('arrow keys move in the grid and Enter opens the item with its evidence', async ({ page }) => {
    const secondId = (await queueCell(page, 1, 'id').textContent()) ?? '';
    expect(secondId).toMatch(/^EX-/);
    await queueCell(page, 0, 'type').click();
    await page.keyboard.press('ArrowDown');
    await expect(queueCell(page, 1, 'type')).toBeFocused();

    await page.keyboard.press('Enter');
    const drawer = page.getByTestId('exception-drawer');
    await expect(drawer).toBeVisible();
    await expect(page.getByRole('dialog', { name: new RegExp(secondId) })).toBeVisible();
    await expect(drawer.getByRole('heading', { name: /Evidence/ })).toBeVisible();
    await expect(drawer.locator('.ld-evidence-grid .ag-row').first()).toBeVisible();
    await expect(drawer.getByText('Expected', { exact: true })).toBeVisible();

    await page.keyboard.press('Escape');
    await expect(drawer).toBeHidden();
    // Focus is back on the row the item was opened from.
    await expect(queueCell(page, 1, 'type')).toBeFocused();

    // A key pressed right after Esc keeps its effect: T moves to the type filter, and the
    // drawer's hand-back of focus as it finishes closing does not take it away again.
    await page.keyboard.press('Enter');
    await expect(drawer).toBeVisible();
    await page.keyboard.press('Escape');
    await page.keyboard.press('t');
    await expect(drawer).toBeHidden();
    const typeFilter = page.getByLabel('Exception type');
    await expect(typeFilter).toBeFocused();
    await page.waitForTimeout(500);
    await expect(typeFilter).toBeFocused();
  });

  test('the search box narrows the queue', async ({ page }) => {
    const firstId = (await queueCell(page, 0, 'id').textContent()) ?? '';
    await page.keyboard.press('/');
    await expect(page.getByLabel('Search exceptions')).toBeFocused();
    await page.keyboard.type(firstId);
    await expect(page.getByTestId('queue-total')).toHaveText(/^1 exception$/);
    await expect(queueCell(page, 0, 'id')).toHaveText(firstId);
  });
});
