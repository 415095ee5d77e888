import { pressKeys } from '../../renderer/src/commands/commands';
import { screenEntry } from '../../renderer/src/app/screens';
import { expect, test, type Page } from '@playwright/test';
import { chooseType, selectByKeys, takeNextUntil, writeOffUntilALeadMustApprove } from './workspace-keys';
import { signIn, signOut, waitForSyncedQueue } from './helpers';
import { apiToken, expectServerStatus, serverUrl } from './work-api';

/**
 * Issue 11 item 3: a lead rejects an operator's write-off with a reason. The item goes back to
 * the operator who resolved it (open, assigned to them), the operator's workspace names the lead
 * and shows the reason above the checklist, and the reason is in the item's history.
 */
const TYPE = 'Short payment';
const OPERATOR_NAME = 'Priya Raman';
const LEAD_NAME = 'Grace Liu';
const REASON = 'The contract lets us rebill this; write off only the rounding difference.';

async function serverRecord(id: string): Promise<{ status: string; assigneeId: string | null }> {
  const token = await apiToken('lead1');
  const res = await fetch(`${serverUrl()}/api/exceptions/${id}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(res.ok).toBe(true);
  return (await res.json()) as { status: string; assigneeId: string | null };
}

/** Opens an item from the lead's queue: search (/) for its id, Enter to the row, Enter to open. */
async function openFromQueue(page: Page, id: string): Promise<void> {
  await page.keyboard.press('Control+1');
  await expect(page.getByLabel('Search exceptions')).toBeVisible();
  await page.keyboard.press('/');
  await expect(page.getByLabel('Search exceptions')).toBeFocused();
  await page.keyboard.press('Control+a');
  await page.keyboard.type(id);
  await expect(page.getByTestId('queue-total')).toHaveText(/^1 exception$/);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await expect(page.locator('#exception-drawer-title')).toContainText(id);
}

test('a write-off a lead rejects goes back to its operator, who sees the lead and the reason', async ({
  page,
}) => {
  test.setTimeout(300_000);

  // The operator writes off a short payment above the SOP threshold: it waits for a lead.
  await signIn(page, 'operator1');
  await waitForSyncedQueue(page);
  await chooseType(page, TYPE);
  const id = await writeOffUntilALeadMustApprove(page);
  await expectServerStatus(id, ['pending_approval']);
  await page.keyboard.press('Escape');
  await signOut(page);

  // A lead rejects it with a reason, from the approvals inbox.
  await signIn(page, 'lead1');
  await waitForSyncedQueue(page);
  await page.keyboard.press(pressKeys(screenEntry('approvals').combo));
  const row = page
    .getByRole('table', { name: 'Pending approvals' })
    .getByRole('row', { name: new RegExp(id) });
  await expect(row).toBeVisible({ timeout: 30_000 });
  await row.click();
  await expect(page.locator('#approval-h')).toContainText(id);
  const reject = page.getByRole('button', { name: 'Reject' });
  // No reason, no rejection.
  await expect(reject).toBeDisabled();
  await page.locator('#approval-comment').fill(REASON);
  await reject.click();
  await expect(page.getByTestId('approval-notice')).toContainText(
    `Rejected: ${id} went back to ${OPERATOR_NAME} with your reason.`,
  );
  await expect(row).toHaveCount(0);

  // On the server it is open again and assigned to the operator who resolved it, not to nobody.
  await expect
    .poll(() => serverRecord(id), { timeout: 30_000, message: `${id} on the server` })
    .toEqual(expect.objectContaining({ status: 'open', assigneeId: 'user-operator1' }));

  // The item's history carries the lead's reason.
  await openFromQueue(page, id);
  await expect(page.getByTestId('exception-history')).toContainText(REASON, { timeout: 30_000 });
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('exception-drawer')).toBeHidden();
  await signOut(page);

  // The operator finds it assigned to them again: get next hands it back (the server gives a
  // returned item out first), with the lead's name and reason above the checklist.
  await signIn(page, 'operator1');
  await waitForSyncedQueue(page);
  await chooseType(page, TYPE);
  await takeNextUntil(page, id);
  const callout = page.getByTestId('returned-callout');
  await expect(callout).toBeVisible();
  await expect(callout).toContainText(`Returned by ${LEAD_NAME}`);
  await expect(callout).toContainText(REASON);
  await expect(callout).not.toContainText('user-lead1');

  // Leave operator1's hand as other specs expect it (they take short payments too): pass it on.
  await page.keyboard.press('Alt+s');
  await selectByKeys(page, page.getByLabel('Reason (from the SOP)'), /^Other$/);
  await page.keyboard.press('Tab');
  await page.keyboard.type('end of the returned write-off test; for another operator');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('work-notice')).toContainText(`${id} skipped`);
  await expectServerStatus(id, ['open']);
  if (await page.locator('.ld-workspace').isVisible()) await page.keyboard.press('Escape');
});
