import { expect, test } from '@playwright/test';
import { signIn } from './helpers';
import { serverUrl } from './work-api';

test.describe('role-aware navigation', () => {
  // Each test signs in on a shared host; generous budgets for a busy CI box.
  test.describe.configure({ timeout: 180_000 });
  test('operator1 sees Queue and Settings, and no screen that is not built yet', async ({ page }) => {
    await signIn(page, 'operator1');
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('button')).toHaveText([/^Queue/, /^Settings/]);
    await expect(nav.getByRole('button', { name: /Dashboard|QA review|SOPs/ })).toHaveCount(0);
  });

  test('lead1 sees Queue, Approvals and Settings in order, and Ctrl+1 / 2 / 3 follow that order', async ({
    page,
  }) => {
    await signIn(page, 'lead1');
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('button')).toHaveText([
      /^Queue\D*1$/,
      /^Approvals\D*2$/,
      /^QA review\D*7$/,
      /^Settings\D*3$/,
    ]);
    await page.keyboard.press('Control+2');
    await expect(nav.getByRole('button', { name: /Approvals/ })).toHaveAttribute('aria-current', 'page');
    await expect(page.getByRole('heading', { name: 'Approvals', level: 1 })).toBeVisible();
    await page.keyboard.press('Control+3');
    await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
    await expect(page.getByTestId('settings-mode')).toHaveText('Browser mode');
    // The keys these screens had before still work for trained hands.
    await page.keyboard.press('Control+6');
    await expect(nav.getByRole('button', { name: /Approvals/ })).toHaveAttribute('aria-current', 'page');
  });

  test('qa1 sees QA review and Settings, and lands on the sample', async ({ page }) => {
    await signIn(page, 'qa1');
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('button')).toHaveText([/^QA review\D*7$/, /^Settings\D*3$/]);
    await expect(page.getByRole('heading', { name: 'Sample to review', level: 2 })).toBeVisible();
  });

  for (const [user, role] of [['trainer1', 'a trainer']] as const) {
    test(`${user} is told plainly there is nothing to do yet, not shown an empty app`, async ({ page }) => {
      await signIn(page, user);
      await expect(
        page.getByRole('heading', { name: 'Nothing to do in Ledgerdesk for your role yet' }),
      ).toBeVisible();
      await expect(page.getByText(`You are signed in as ${role}`)).toBeVisible();
      const nav = page.getByRole('navigation', { name: 'Main' });
      await expect(nav.getByRole('button')).toHaveText([/^Welcome/, /^Settings/]);
    });
  }

  test('the app reports the same release as the server it talks to', async ({ page }) => {
    await signIn(page, 'operator1');
    const health = (await (await fetch(`${serverUrl()}/api/health`)).json()) as { version: string };
    await page.keyboard.press('Control+3');
    await expect(page.getByTestId('settings-version')).toHaveText(health.version);
  });
});
