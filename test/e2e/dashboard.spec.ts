import { expect, test, type Page } from '@playwright/test';
import { pressKeys } from '../../renderer/src/commands/commands';
import { screenEntry } from '../../renderer/src/app/screens';
import {
  expectNoA11yViolations,
  queueCell,
  queueRows,
  saveScreenshot,
  signIn,
  waitForSyncedQueue,
} from './helpers';
import { apiToken, serverUrl } from './work-api';

/**
 * Issue 16, acceptance 2 and 6: a lead narrows the dashboard to one partner, drills from a figure
 * into the queue grid (only that figure's items), and axe passes the dashboard, the close tab and
 * an operator's own numbers. The dashboard's screenshot is attached to the results.
 */

/** A partner account that has unfinished items on the server, read from the lead's drill endpoint. */
async function partnerWithBacklog(): Promise<string> {
  const token = await apiToken('lead1');
  const headers = { authorization: `Bearer ${token}` };
  const filter = encodeURIComponent(JSON.stringify({ statuses: ['open'] }));
  const drill = (await (
    await fetch(`${serverUrl()}/api/kpis/drill?filter=${filter}`, { headers })
  ).json()) as {
    ids: string[];
  };
  const id = drill.ids[0];
  if (!id) throw new Error('the demo data has no open exception');
  const item = (await (await fetch(`${serverUrl()}/api/exceptions/${id}`, { headers })).json()) as {
    partnerAccountId: string;
  };
  return item.partnerAccountId;
}

async function openDashboard(page: Page): Promise<void> {
  await page.keyboard.press(pressKeys(screenEntry('dashboard').combo));
  await expect(page.getByRole('heading', { name: 'Dashboard', level: 1 })).toBeVisible();
  await expect(page.getByTestId('kpi-scope')).toBeVisible({ timeout: 30_000 });
}

test('a lead filters the dashboard to one partner and drills from a figure into its items in the queue', async ({
  page,
}, testInfo) => {
  test.setTimeout(240_000);
  const partner = await partnerWithBacklog();
  await signIn(page, 'lead1');
  await waitForSyncedQueue(page);
  await openDashboard(page);

  // Keyboard only: the partner field, then Enter applies every filter.
  await page.getByLabel('Partner account').fill(partner);
  await page.getByLabel('Partner account').press('Enter');
  await expect(page.getByTestId('kpi-scope')).toContainText(`partner ${partner}`);
  const backlog = page.getByRole('button', { name: /^Backlog/ });
  await expect(backlog).toBeVisible();
  const figure = Number(
    ((await backlog.locator('.ld-kpi-tile-value').textContent()) ?? '').replace(/\D/g, ''),
  );
  expect(figure).toBeGreaterThan(0);
  await saveScreenshot(page, testInfo, 'dashboard-one-partner');
  await expectNoA11yViolations(page, testInfo, 'dashboard');

  await backlog.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Queue', level: 1 })).toBeVisible();
  await expect(page.getByTestId('drill-notice')).toContainText('Backlog');
  const listed = Math.min(figure, 1000);
  await expect(page.getByTestId('queue-total')).toHaveText(
    new RegExp(`^${listed.toLocaleString('en-US')} exception`),
  );
  await expect(queueRows(page).first()).toBeVisible();
  await expect(queueCell(page, 0, 'partnerAccount')).toHaveText(partner);
  const shown = await queueRows(page).count();
  for (let i = 0; i < Math.min(shown, 10); i += 1)
    await expect(queueCell(page, i, 'partnerAccount')).toHaveText(partner);

  // Clearing the drill-down brings the whole queue back.
  await page.getByRole('button', { name: 'Show the whole queue' }).click();
  await expect(page.getByTestId('drill-notice')).toHaveCount(0);

  await openDashboard(page);
  await page.getByRole('tab', { name: 'Month-end close' }).click();
  await expect(
    page.getByRole('heading', { level: 2 }).filter({ hasText: /Open|Prepared|Locked/ }),
  ).toBeVisible({
    timeout: 30_000,
  });
  await expectNoA11yViolations(page, testInfo, 'month-end-close');
});

test('an operator sees their own numbers for today, and axe passes the screen', async ({
  page,
}, testInfo) => {
  test.setTimeout(120_000);
  await signIn(page, 'operator1');
  await page.keyboard.press(pressKeys(screenEntry('my-numbers').combo));
  await expect(page.getByRole('heading', { name: 'My numbers', level: 1 })).toBeVisible();
  await expect(page.getByTestId('my-numbers')).toContainText('Completed', { timeout: 30_000 });
  await expectNoA11yViolations(page, testInfo, 'my-numbers');
});
