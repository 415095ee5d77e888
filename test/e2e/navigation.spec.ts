import { expect, test } from '@playwright/test';
import { signIn } from './helpers';

test.describe('role-aware navigation', () => {
  test('operator1 sees Queue and Settings, not Dashboard', async ({ page }) => {
    await signIn(page, 'operator1');
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('button', { name: /Queue/ })).toBeVisible();
    await expect(nav.getByRole('button', { name: /Settings/ })).toBeVisible();
    await expect(nav.getByRole('button', { name: /Dashboard/ })).toHaveCount(0);
    await expect(nav.getByRole('button', { name: /QA review/ })).toHaveCount(0);
  });

  test('lead1 sees Dashboard, and Ctrl+4 / Ctrl+5 switch screens', async ({ page }) => {
    await signIn(page, 'lead1');
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const name of ['Queue', 'QA review', 'SOPs', 'Dashboard', 'Settings']) {
      await expect(nav.getByRole('button', { name: new RegExp(name) })).toBeVisible();
    }
    await page.keyboard.press('Control+4');
    await expect(nav.getByRole('button', { name: /Dashboard/ })).toHaveAttribute('aria-current', 'page');
    await expect(page.getByRole('heading', { name: /dashboard is not built yet/i, level: 2 })).toBeVisible();
    await page.keyboard.press('Control+5');
    await expect(page.getByRole('heading', { name: 'Settings', level: 2 })).toBeVisible();
    await expect(page.getByTestId('settings-mode')).toHaveText('Browser mode');
  });
});
