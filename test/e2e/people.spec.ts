import { screenEntry } from '../../renderer/src/app/screens';
import { pressKeys } from '../../renderer/src/commands/commands';
import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, expectNoA11yViolations, saveScreenshot, signIn, signOut } from './helpers';

test('an admin creates a user, sees a refused field named, changes their team and deactivates them; the user cannot sign in', async ({
  page,
}, testInfo) => {
  test.setTimeout(180_000);
  await signIn(page, 'admin1');
  await page.keyboard.press(pressKeys(screenEntry('people').combo));
  await expect(page.getByRole('heading', { name: 'People', level: 1 })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Users' })).toContainText('operator1');
  await expectNoA11yViolations(page, testInfo, 'people');

  const username = `e2e-${Date.now().toString(36)}`;
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Display name').fill('E2E Person');
  await page.getByLabel('First password').fill('short');
  await page.getByRole('button', { name: 'Create user' }).click();
  await expect(page.getByRole('alert')).toContainText(/12 characters/);

  await page.getByLabel('First password').fill(DEMO_PASSWORD);
  await page.getByLabel('First password').press('Enter');
  await expect(page.getByTestId('people-notice')).toContainText(`Created ${username}.`);
  const row = page.getByRole('table', { name: 'Users' }).getByRole('row', { name: new RegExp(username) });
  await expect(row).toHaveAttribute('aria-selected', 'true');

  await page.getByLabel('Team', { exact: true }).fill('Night shift');
  await page.getByLabel('Reason (for the audit trail)').fill('joined the night shift');
  await page.getByRole('button', { name: 'Save access' }).click();
  await expect(page.getByTestId('people-notice')).toContainText(`Saved ${username}'s roles and team.`);
  await expect(row).toContainText('Night shift');

  await page.getByRole('button', { name: 'Deactivate…' }).click();
  await expect(page.getByRole('alertdialog')).toContainText('Deactivate E2E Person?');
  await page.getByRole('alertdialog').getByRole('button', { name: 'Deactivate' }).press('Enter');
  await expect(page.getByTestId('people-notice')).toContainText(`Deactivated ${username}`);
  await saveScreenshot(page, testInfo, 'people');
  await signOut(page);

  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByLabel('Password').press('Enter');
  await expect(page.getByRole('alert')).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0);
});
