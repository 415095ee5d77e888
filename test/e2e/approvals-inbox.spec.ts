import { pressKeys } from '../../renderer/src/commands/commands';
import { screenEntry } from '../../renderer/src/app/screens';
import { expect, test } from '@playwright/test';
import { signIn, waitForSyncedQueue } from './helpers';
import { expectFocusInDialog } from './separate-host';
import { expectServerStatus } from './work-api';

/**
 * Issue 11 item 2: the queue's "Pending approval" count and the inbox agree (demo data included);
 * from a request the lead reads the checklist answers and notes and opens the item's evidence;
 * approving asks for confirmation and then says it was done.
 */
test('the approvals inbox lists every item the Pending approval chip counts, and approving asks first', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await signIn(page, 'lead1');
  await waitForSyncedQueue(page);
  const chip = page.locator('.ld-chips button[data-status="pending_approval"] .ld-chip-count');
  const counted = Number(((await chip.textContent()) ?? '').replace(/[^0-9]/g, ''));
  expect(counted).toBeGreaterThan(0);

  await page.keyboard.press(pressKeys(screenEntry('approvals').combo));
  const rows = page.getByRole('table', { name: 'Pending approvals' }).locator('tbody tr');
  await expect(rows.first()).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText('Nothing waiting')).toHaveCount(0);
  expect(await rows.count()).toBe(counted);

  const first = rows.first();
  // Amounts line up on the right, header included (issue 11 item 7).
  for (const cell of [first.locator('td').nth(2), page.getByRole('columnheader', { name: 'Amount' })]) {
    expect(await cell.evaluate((el) => getComputedStyle(el).textAlign)).toBe('right');
  }
  const id = ((await first.locator('td').first().textContent()) ?? '').trim();
  await first.click();
  await expect(page.locator('#approval-h')).toContainText(id);
  await expect(page.getByText('Checklist answers', { exact: true })).toBeVisible();
  await expect(page.locator('.ld-approval').getByTestId('notes-thread')).toBeVisible();

  // The item itself (evidence, notes, history) opens over the inbox, with focus in it.
  await page.getByRole('button', { name: /Open the item/ }).click();
  await expect(page.locator('#exception-drawer-title')).toContainText(id);
  await expectFocusInDialog(page, 'exception drawer');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('exception-drawer')).toBeHidden();

  await page.getByRole('button', { name: 'Approve' }).click();
  const confirm = page.locator('.bp6-alert');
  await expect(confirm).toContainText(`on ${id}?`);
  await expectFocusInDialog(page, 'approval confirmation');
  await confirm.getByRole('button', { name: 'Approve' }).click();
  await expect(page.getByTestId('approval-notice')).toContainText(`Approved: ${id} is resolved`);
  await expect(rows.filter({ hasText: id })).toHaveCount(0);
  await expectServerStatus(id, ['resolved']);
});
