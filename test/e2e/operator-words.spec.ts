import { expect, test, type Page } from '@playwright/test';
import { chooseType, keys, selectByKeys, takeNext } from './workspace-keys';
import { queueCell, signIn, waitForSyncedQueue } from './helpers';

/**
 * What an operator reads at 1366x768 (issue 11, items 4 and 6): a refused resolve says what to do
 * in words next to each field, and each message goes as that field is fixed; a note typed and
 * left with Esc is still there when the item opens again.
 */

test.use({ viewport: { width: 1366, height: 768 } });

/** The unmapped-account checklist by keys (as in workspace.spec): complete, ready to resolve. */
async function completeUnmappedChecklist(page: Page): Promise<string> {
  await chooseType(page, 'Unmapped account');
  const id = await takeNext(page, 'Unmapped account');
  await keys(page, ['Alt+j', 'Space']);
  if (await page.locator('[data-step-id="account-role"]').isVisible()) await keys(page, ['Alt+j', 'Space']);
  await keys(page, ['Alt+j', 'ArrowDown', 'ArrowDown']);
  await expect(page.locator('[data-step-id="find-customer"]')).toHaveAttribute('data-complete', 'true');
  return id;
}

/** The form group (label, control, helper text) that holds a control. */
const groupOf = (page: Page, controlId: string) =>
  page.locator('.bp6-form-group', { has: page.locator(`#${controlId}`) });

test.describe('messages an operator reads', () => {
  test.describe.configure({ timeout: 180_000 });
  test.beforeEach(async ({ page }) => {
    await signIn(page, 'operator1');
    await waitForSyncedQueue(page);
  });

  test('a refused resolve names each missing field in words, beside it, and each message clears when fixed', async ({
    page,
  }) => {
    test.setTimeout(300_000);
    await completeUnmappedChecklist(page);
    await page.keyboard.press('Alt+r');
    await page.keyboard.press('Control+Enter');

    const resolution = page.locator('.ld-resolution');
    const codeProblem = page.locator('#resolution-code-problem');
    await expect(codeProblem).toHaveText('Choose a resolution code');
    await expect(groupOf(page, 'resolution-code')).toContainText('Choose a resolution code');
    await expect(page.locator('#resolution-action-problem')).toHaveText('Choose an action');
    await expect(page.locator('#resolution-note-problem')).toHaveText(
      'Write a note: say what you did and why',
    );
    // No schema text and no field code names anywhere a person reads.
    await expect(page.locator('body')).not.toContainText(
      /Invalid option|expected one of|resolution: |code: /,
    );
    // On screen at 1366x768, and inside the resolution's box, not past its edge.
    await expect(codeProblem).toBeInViewport();
    const box = await resolution.boundingBox();
    const msg = await codeProblem.boundingBox();
    expect(box && msg && msg.x >= box.x && msg.x + msg.width <= box.x + box.width).toBe(true);
    // The focus went to the first field to fix.
    await expect(page.locator('#resolution-code')).toBeFocused();

    await selectByKeys(page, page.locator('#resolution-code'), /^NEEDS_INVESTIGATION/);
    await expect(codeProblem).toHaveCount(0);
    await expect(page.locator('#resolution-action-problem')).toHaveText('Choose an action');

    await page.keyboard.press('Tab');
    await selectByKeys(page, page.locator('#resolution-action'), /^Escalate$/);
    await expect(page.locator('#resolution-action-problem')).toHaveCount(0);
    await expect(page.locator('#resolution-note-problem')).toBeVisible();

    await page.locator('#resolution-note').focus();
    await page.keyboard.type('No customer yet.');
    await expect(page.locator('#resolution-note-problem')).toHaveCount(0);
    await expect(resolution.locator('[data-problem]')).toHaveCount(0);
  });

  test('Esc keeps an unsent note as a draft, says so, and the item opens with it', async ({ page }) => {
    await chooseType(page, 'Usage mismatch');
    const id = await takeNext(page, 'Usage mismatch');
    const note = 'Called the reseller: their usage file for March is late.';
    await page.locator('#note-text').focus();
    await page.keyboard.type(note);
    await page.keyboard.press('Escape');

    // Back in the queue, told where the note is.
    await expect(page.locator('.ld-workspace')).toHaveCount(0);
    await expect(page.getByTestId('work-notice')).toContainText(`unsent note on ${id} is kept as a draft`);

    // The item the operator started comes back first; the note is in its box, unsent.
    await page.keyboard.press('Alt+n');
    await expect(page.locator('.ld-workspace-title .ld-mono')).toHaveText(id, { timeout: 30_000 });
    await expect(page.locator('#note-text')).toHaveValue(note);
  });

  test('grids show amounts right-aligned with their currency at its minor unit, and dates in one format', async ({
    page,
  }) => {
    await expect(queueCell(page, 0, 'id')).toHaveText(/^EX-/, { timeout: 30_000 });
    for (const col of ['expected', 'actual', 'variance']) {
      const cell = queueCell(page, 0, col);
      await expect(cell).toHaveText(/^-?\d{1,3}(,\d{3})*(\.\d+)? [A-Z]{3}$/);
      expect(await cell.evaluate((el) => getComputedStyle(el).textAlign)).toBe('right');
      expect(await cell.evaluate((el) => getComputedStyle(el).fontVariantNumeric)).toContain('tabular-nums');
      const text = (await cell.textContent()) ?? '';
      const [, decimals = '', currency] = /(?:\.(\d+))? ([A-Z]{3})$/.exec(text) ?? [];
      const digits = new Intl.NumberFormat('en', {
        style: 'currency',
        currency: currency ?? 'USD',
      }).resolvedOptions().maximumFractionDigits;
      expect(decimals.length, `${text} at ${currency}'s minor unit`).toBe(digits);
    }
    // At 1366x768 the Variance column is on screen in full, not cut by the grid's edge.
    const grid = await page.getByTestId('queue-grid').boundingBox();
    const variance = await page.locator('.ag-header-cell[col-id="variance"]').boundingBox();
    expect(grid && variance && variance.x + variance.width <= grid.x + grid.width).toBe(true);

    // The record and its evidence: one date-time format, no ISO strings, no mm/dd/yyyy.
    await queueCell(page, 0, 'id').click();
    await page.keyboard.press('Enter');
    const opened = page.locator('.ld-field', { hasText: 'Opened' }).locator('dd');
    await expect(opened).toHaveText(/^\d{2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}$/, { timeout: 30_000 });
    await expect(page.locator('.ld-field', { hasText: 'Usage period' }).locator('dd')).toHaveText(
      /^\d{2} [A-Z][a-z]{2} \d{4} – \d{2} [A-Z][a-z]{2} \d{4}$/,
    );
    const evidence = page.locator('.ld-evidence-grid').first();
    await expect(evidence.locator('.ag-cell[col-id="__received"]').first()).toHaveText(
      /^\d{2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}$/,
      { timeout: 30_000 },
    );
    const cells = await page.locator('.ld-evidence-grid .ag-cell').allTextContents();
    expect(cells.filter((t) => /^\d{4}-\d{2}-\d{2}/.test(t) || /^\d{2}\/\d{2}\/\d{4}/.test(t))).toEqual([]);
    // Headers in words; the partner's own names stay out of them.
    const headers = await page.locator('.ld-evidence-grid .ag-header-cell-text').allTextContents();
    expect(headers.filter((h) => /_/.test(h))).toEqual([]);
  });

  test('the Variance header sorts within each currency, both ways, and shows its direction', async ({
    page,
  }) => {
    await expect(queueCell(page, 0, 'id')).toHaveText(/^EX-/, { timeout: 30_000 });
    const header = page.locator('[data-testid="queue-grid"] .ag-header-cell[col-id="variance"]');
    await header.locator('.ag-header-cell-label').click();
    await expect(header).toHaveAttribute('aria-sort', 'descending');
    await expect(page.getByLabel('Sort by')).toHaveValue('variance_desc');
    const currencyOf = async (i: number) =>
      ((await queueCell(page, i, 'variance').textContent()) ?? '').slice(-3);
    await expect(queueCell(page, 0, 'variance')).toHaveText(/ [A-Z]{3}$/);
    // The first rows are of the first currency A-Z (AUD in the demo), largest magnitude first.
    const first = await currencyOf(0);
    const magnitude = async (i: number) =>
      Number(((await queueCell(page, i, 'variance').textContent()) ?? '').replace(/[^\d.]/g, ''));
    await expect
      .poll(async () => (await currencyOf(1)) === first && (await magnitude(0)) >= (await magnitude(1)))
      .toBe(true);

    await header.locator('.ag-header-cell-label').click();
    await expect(header).toHaveAttribute('aria-sort', 'ascending');
    await expect(page.getByLabel('Sort by')).toContainText('(reversed)');
    // The same order backwards: the last currency A-Z first, smallest magnitude first inside it.
    await expect
      .poll(
        async () =>
          (await currencyOf(0)) === (await currencyOf(1)) &&
          (await currencyOf(0)) >= first &&
          (await magnitude(0)) <= (await magnitude(1)),
      )
      .toBe(true);
  });
});
