import { mkdirSync } from 'node:fs';
import { pressKeys } from '../../renderer/src/commands/commands';
import { screenEntry } from '../../renderer/src/app/screens';
import { expect, test } from '@playwright/test';
import {
  chooseType,
  keys,
  resolveWith,
  selectByKeys,
  takeNext,
  tickStep,
  writeOffUntilALeadMustApprove,
} from './workspace-keys';
import { expectNoA11yViolations, signIn, signOut, waitForSyncedQueue } from './helpers';
import { apiToken, expectServerStatus, serverUrl } from './work-api';

/**
 * The operator's core loop by keyboard only: filter the type (T), get next (Alt+N), move through
 * the checklist (Alt+J), answer (Space / arrows / typing), go to the resolution (Alt+R), resolve
 * (Ctrl+Enter). No clicks: if a step cannot be reached by keys, these tests fail.
 */

test.describe('operator workspace', () => {
  // Each test signs in and syncs 5,000 rows on a shared host; generous budgets for a busy CI box.
  test.describe.configure({ timeout: 180_000 });
  test.beforeEach(async ({ page }) => {
    await signIn(page, 'operator1');
    await waitForSyncedQueue(page);
  });

  test('three exception types worked and resolved by keyboard only reach the server', async ({
    page,
  }, testInfo) => {
    test.setTimeout(240_000);
    // Unmapped account: confirm the account was read, (AWS: the buyer's own account), no customer yet → escalate.
    await chooseType(page, 'Unmapped account');
    const unmapped = await takeNext(page, 'Unmapped account');
    // Alt+J puts focus on the step's first control; Space is pressed once it is there.
    await page.keyboard.press('Alt+j');
    await tickStep(page, 'identify-account');
    if (await page.locator('[data-step-id="account-role"]').isVisible()) await keys(page, ['Alt+j', 'Space']);
    await keys(page, ['Alt+j', 'ArrowDown', 'ArrowDown']);
    await expect(page.locator('[data-step-id="find-customer"]')).toHaveAttribute('data-complete', 'true');

    mkdirSync('test-results/artifacts', { recursive: true });
    await page.screenshot({ path: 'test-results/artifacts/workspace.png' });
    await testInfo.attach('workspace.png', {
      path: 'test-results/artifacts/workspace.png',
      contentType: 'image/png',
    });
    await expectNoA11yViolations(page, testInfo, 'workspace');

    await resolveWith(
      page,
      /^NEEDS_INVESTIGATION/,
      /^Escalate$/,
      'No internal customer owns this account yet; sales ops to create one.',
    );
    await expect(page.getByTestId('work-notice')).toContainText(`${unmapped} escalated`);
    await expectServerStatus(unmapped, ['escalated']);

    // Short payment: the payment matches the invoice, bank charges explain it → dispute the shortfall.
    await page.keyboard.press('Escape');
    await chooseType(page, 'Short payment');
    const short = await takeNext(page, 'Short payment');
    // The step's optional remittance upload comes first; Tab past it to the confirmation.
    await keys(page, ['Alt+j', 'Tab', 'Space', 'Alt+j', 'Space']);
    if (await page.locator('[data-step-id="reseller-margin"]').isVisible())
      await keys(page, ['Alt+j', 'Space']);
    await resolveWith(
      page,
      /^53 /,
      /^Partner dispute$/,
      'Bank charges deducted in transit; disputed with the customer.',
    );
    await expect(page.getByTestId('work-notice')).toContainText(`${short} resolved`);
    await expectServerStatus(short, ['resolved']);

    // Usage mismatch: the two sides carry different keys → root cause → escalate as a mapping problem.
    await page.keyboard.press('Escape');
    await chooseType(page, 'Usage mismatch');
    const usage = await takeNext(page, 'Usage mismatch');
    await keys(page, ['Alt+j', 'ArrowDown']);
    await keys(page, ['Alt+j', 'Space']);
    await resolveWith(
      page,
      /^NEEDS_INVESTIGATION/,
      /^Escalate$/,
      'Agreement ids differ between internal usage and the partner rows.',
    );
    await expect(page.getByTestId('work-notice')).toContainText(`${usage} escalated`);
    await expectServerStatus(usage, ['escalated']);
  });

  test('the resolve is refused, saying which step is missing, until the checklist is complete', async ({
    page,
  }) => {
    await chooseType(page, 'Unmapped account');
    await takeNext(page, 'Unmapped account');
    await expect(page.getByText('Not ready to resolve')).toBeVisible();
    await expect(page.locator('.ld-blockers')).toContainText('Read the account on the partner row');
    await page.keyboard.press('Control+Enter');
    await expect(page.locator('.ld-resolution [role="alert"]')).toContainText('Finish the checklist first');
  });

  test('skipping takes a reason from the SOP list, says the rule first, and the item does not come back to the skipper', async ({
    page,
  }) => {
    await chooseType(page, 'Usage mismatch');
    const id = await takeNext(page, 'Usage mismatch');
    await page.keyboard.press('Alt+s');
    const choice = page.getByLabel('Reason (from the SOP)');
    await expect(choice).toBeFocused();
    await selectByKeys(page, choice, /^Other$/);
    // The minimum is said before anything is refused.
    await expect(page.getByText(/At least 10 characters/)).toBeVisible();
    await page.keyboard.press('Tab');
    await page.keyboard.type('on hold');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('dialog').getByRole('alert')).toContainText(
      'Say why in at least 10 characters',
    );
    await page.keyboard.type(': customer on a credit hold, billing lead handles it');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('work-notice')).toContainText(
      `${id} skipped · back in the team queue for another operator; not offered to you again`,
    );
    // The desk's next sync tops its hand up with get-next: the skipped item is not in it.
    await expect(page.locator('.ld-workspace-title')).not.toContainText(id);
    await page.waitForTimeout(8_000);
    const token = await apiToken('lead1');
    const res = await fetch(`${serverUrl()}/api/exceptions/${id}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const server = (await res.json()) as { status: string; assigneeId: string | null };
    expect(server.assigneeId).not.toBe('user-operator1');
    const history = await fetch(`${serverUrl()}/api/exceptions/${id}/history`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const entries = ((await history.json()) as { entries: { kind: string | null; reason: string | null }[] })
      .entries;
    expect(entries.find((e) => e.kind === 'exception.skip')?.reason).toBe(
      'Other: on hold: customer on a credit hold, billing lead handles it',
    );
  });

  test('a write-off above the SOP threshold waits for a lead, who approves it in the approvals inbox', async ({
    page,
  }, testInfo) => {
    test.setTimeout(180_000);
    await chooseType(page, 'Short payment');
    const id = await writeOffUntilALeadMustApprove(page);
    await expectServerStatus(id, ['pending_approval']);

    // Operators have no approvals inbox: the control belongs to leads (the API refuses them too).
    await page.keyboard.press('Escape');
    await expect(page.getByRole('navigation', { name: 'Main' }).getByText('Approvals')).toHaveCount(0);

    await signOut(page);
    await signIn(page, 'lead1');
    await page.keyboard.press(pressKeys(screenEntry('approvals').combo));
    const row = page.getByRole('row', { name: new RegExp(id) });
    await expect(row).toBeVisible({ timeout: 30_000 });
    await row.click();
    await expect(page.locator('#approval-h')).toContainText(id);
    // The operator's answers read with the labels they saw: no field ids, no JSON (issue 11 item 9).
    const answers = page.getByTestId('approval-answers');
    await expect(answers).toContainText('Reason for the shortfall');
    await expect(answers).toContainText('Bank or wire charges deducted on the way');
    await expect(answers).not.toContainText('short-reason');
    await expect(answers).not.toContainText('"');
    mkdirSync('test-results/artifacts', { recursive: true });
    await page.screenshot({ path: 'test-results/artifacts/approvals.png' });
    await testInfo.attach('approvals.png', {
      path: 'test-results/artifacts/approvals.png',
      contentType: 'image/png',
    });
    await expectNoA11yViolations(page, testInfo, 'approvals');

    await page.getByRole('button', { name: 'Approve' }).click();
    // Approving asks first, then says it was done.
    await page.locator('.bp6-alert').getByRole('button', { name: 'Approve' }).click();
    await expect(page.getByTestId('approval-notice')).toContainText(`Approved: ${id}`);
    await expect(row).toHaveCount(0);
    await expectServerStatus(id, ['resolved']);
  });
});
