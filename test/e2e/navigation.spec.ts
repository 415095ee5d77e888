import { expect, test } from '@playwright/test';
import { signIn } from './helpers';
import { serverUrl } from './work-api';

test.describe('role-aware navigation', () => {
  // Each test signs in on a shared host; generous budgets for a busy CI box.
  test.describe.configure({ timeout: 180_000 });
  test('operator1 sees Queue, My numbers and Settings, and no screen that is not built yet', async ({
    page,
  }) => {
    await signIn(page, 'operator1');
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('button')).toHaveText([/^Queue/, /^My numbers/, /^Settings/]);
    await expect(nav.getByRole('button', { name: /Dashboard|QA review|SOPs/ })).toHaveCount(0);
  });

  test('lead1 sees each built screen in navigation order, each with its own Ctrl key', async ({ page }) => {
    await signIn(page, 'lead1');
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('button')).toHaveText([
      /^Queue\D*1$/,
      /^Approvals\D*2$/,
      /^Reconciliation\D*5$/,
      /^QA review\D*7$/,
      /^SOPs\D*8$/,
      /^Dashboard\D*9$/,
      /^Settings\D*3$/,
    ]);
    await page.keyboard.press('Control+2');
    await expect(nav.getByRole('button', { name: /Approvals/ })).toHaveAttribute('aria-current', 'page');
    await expect(page.getByRole('heading', { name: 'Approvals', level: 1 })).toBeVisible();
    await page.keyboard.press('Control+3');
    await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
    await expect(page.getByTestId('settings-mode')).toHaveText('Browser mode');
  });

  test('qa1 sees QA review and Settings, and lands on the sample', async ({ page }) => {
    await signIn(page, 'qa1');
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('button')).toHaveText([/^QA review\D*7$/, /^Settings\D*3$/]);
    await expect(page.getByRole('heading', { name: 'Sample to review', level: 2 })).toBeVisible();
  });

  test('trainer1 sees SOPs and Settings, and lands on the library', async ({ page }) => {
    await signIn(page, 'trainer1');
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('button')).toHaveText([/^SOPs\D*8$/, /^Settings\D*3$/]);
    await expect(page.getByRole('heading', { name: 'SOPs', level: 1 })).toBeVisible();
  });

  test('the app reports the same release as the server it talks to', async ({ page }) => {
    await signIn(page, 'operator1');
    const health = (await (await fetch(`${serverUrl()}/api/health`)).json()) as { version: string };
    await page.keyboard.press('Control+3');
    await expect(page.getByTestId('settings-version')).toHaveText(health.version);
  });
});
