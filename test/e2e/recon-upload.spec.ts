import { screenEntry } from '../../renderer/src/app/screens';
import { pressKeys } from '../../renderer/src/commands/commands';
import { expect, test } from '@playwright/test';
import { keyOf } from '../../renderer/src/commands/commands';
import { csv } from '../support/recon-month';
import { expectNoA11yViolations, queueRows, signIn, signOut, waitForSyncedQueue } from './helpers';
import { apiToken, serverUrl } from './work-api';

/**
 * Issue 13 acceptance 6: a lead uploads a partner file, runs the reconciliation, and an
 * operator's queue shows the new exceptions with the source rows as evidence. The file comes
 * from the ingest and recon tests' own generator; its account and product are new, so the run
 * opens an unmapped_account and an unmapped_sku exception citing these metering rows.
 */
test('a lead imports a partner file and reconciles the month; the operator it goes to sees its source rows', async ({
  page,
}, testInfo) => {
  test.setTimeout(300_000);
  const account = `7${String(Date.now()).slice(-11)}`;
  const records = ['E2E-M-1', 'E2E-M-2', 'E2E-M-3'];
  const generated = csv(
    'aws-metering',
    records.map((id, i) => ({
      MeteringRecordId: id,
      ProductCode: 'prod-e2e',
      Timestamp: `2026-03-0${i + 2}T10:00:00Z`,
      CustomerAWSAccountId: account,
      Dimension: 'tokens',
      Quantity: `${1000 * (i + 1)}`,
      Status: 'Success',
    })),
  );
  const file = {
    name: `aws-metering-${account}.csv`,
    mimeType: 'text/csv',
    buffer: Buffer.from(generated.bytes),
  };

  await signIn(page, 'lead1');
  await page.keyboard.press(pressKeys(screenEntry('recon').combo));
  await expect(page.getByRole('heading', { name: 'Reconciliation', level: 1 })).toBeVisible();

  // Alt+U opens the file picker; the file is imported at once, all or nothing.
  const uploadStatus = page.getByTestId('recon-upload-status');
  let chooser = page.waitForEvent('filechooser');
  await page.keyboard.press(keyOf('recon.upload'));
  await (await chooser).setFiles(file);
  await expect(uploadStatus).toContainText(`Imported ${file.name}: 3 rows as aws-metering`);
  const batchRow = page.getByTestId('recon-batches').getByRole('row', { name: new RegExp(file.name) });
  await expect(batchRow).toContainText('Waiting for a run');

  // The same bytes again change nothing.
  chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: /Choose files/ }).click();
  await (await chooser).setFiles({ ...file, name: 'same-bytes.csv' });
  await expect(uploadStatus).toContainText(
    `Already imported: same-bytes.csv is the same file as ${file.name}`,
  );
  await expect(page.getByTestId('recon-batches').getByRole('row', { name: /same-bytes/ })).toHaveCount(0);

  // Run March with Alt+R from the month field; the bar goes through its steps to done.
  await page.getByRole('textbox', { name: 'Month' }).fill('2026-03');
  await page.keyboard.press(keyOf('recon.run'));
  await expect(page.getByTestId('recon-progress')).toContainText('Step 3 of 3: done.', { timeout: 120_000 });
  const counts = page.getByTestId('recon-counts');
  await expect(counts.locator('[data-count="opened"]')).not.toHaveText('0');
  await expect(batchRow).toContainText('Reconciled');

  const outcomes = page.getByTestId('recon-outcomes');
  const opened: string[] = [];
  for (const label of ['Unmapped account', 'Unmapped SKU']) {
    const row = outcomes
      .getByRole('row', { name: new RegExp(label) })
      .filter({ hasText: 'Opened' })
      .first();
    await expect(row).toBeVisible();
    opened.push(((await row.getByRole('button').textContent()) ?? '').trim());
  }
  expect(opened.every((id) => /^EX-R\d+$/.test(id))).toBe(true);
  await expectNoA11yViolations(page, testInfo, 'reconciliation-results');

  // The lead can open one from the results: the drawer shows the rows the run cited.
  await outcomes.getByRole('button', { name: opened[0] }).click();
  const drawer = page.getByTestId('exception-drawer');
  await expect(drawer).toBeVisible();
  await expect(drawer.getByText('E2E-M-1').first()).toBeVisible({ timeout: 30_000 });
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();

  // The lead hands them to operator1 (the same call the queue's Reassign makes).
  const lead = await apiToken('lead1');
  for (const exceptionId of opened) {
    const res = await fetch(`${serverUrl()}/api/work/reassign`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${lead}` },
      body: JSON.stringify({ exceptionId, toUserId: 'user-operator1', reason: 'new partner account to map' }),
    });
    expect(res.status, await res.text()).toBe(200);
  }
  await signOut(page);

  // operator1 syncs: the new exceptions are in the queue, with the metering rows as evidence.
  await signIn(page, 'operator1');
  await waitForSyncedQueue(page);
  for (const id of opened) {
    await page.getByLabel('Search exceptions').fill(id);
    await page.getByLabel('Search exceptions').press('Enter');
    await expect(queueRows(page)).toHaveCount(1, { timeout: 30_000 });
    await expect(queueRows(page).first()).toContainText(id);
  }
  await queueRows(page).first().click();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog', { name: new RegExp(opened[1] ?? '') })).toBeVisible();
  await expect(drawer.getByRole('heading', { name: /Evidence/ })).toBeVisible();
  for (const record of records)
    await expect(drawer.getByText(record).first()).toBeVisible({ timeout: 30_000 });
  await page.keyboard.press('Escape');
  await signOut(page);

  // The lead maps the new account on the screen and runs again: the unmapped_account exception closes.
  await signIn(page, 'lead1');
  await page.keyboard.press(pressKeys(screenEntry('recon').combo));
  await page.getByRole('textbox', { name: 'Partner account' }).fill(account);
  await page.getByRole('textbox', { name: 'Customer id' }).fill('CUST-E2E');
  await page.getByRole('textbox', { name: 'Customer name' }).fill('E2E Ltd');
  await page.getByRole('textbox', { name: 'Customer name' }).press('Enter');
  await expect(page.getByTestId('recon-mapping-status')).toContainText(`Added the mapping of ${account}`);
  await expect(page.getByRole('table', { name: 'Account mappings' })).toContainText('E2E Ltd (CUST-E2E)');
  await page.getByRole('textbox', { name: 'Month' }).fill('2026-03');
  await page.keyboard.press(keyOf('recon.run'));
  await expect(page.getByTestId('recon-progress')).toContainText('Step 3 of 3: done.', { timeout: 120_000 });
  await expect(
    page.getByTestId('recon-outcomes').getByRole('row', { name: new RegExp(opened[0] ?? '') }),
  ).toContainText('Closed');
});
