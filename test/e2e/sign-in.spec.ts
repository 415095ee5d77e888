import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, expectNoA11yViolations, openSignedOut, signIn, signOut } from './helpers';

test.describe('sign-in', () => {
  test('the form is prefilled, labelled and accessible', async ({ page }, testInfo) => {
    await openSignedOut(page);
    await expect(page.getByLabel('Server URL')).toHaveValue(/^http:\/\/127\.0\.0\.1:\d+/);
    await page.reload();
    await expect(page.getByLabel('User name')).toBeFocused();
    await expect(page.getByText('ledgerdesk-demo')).toBeVisible();
    await expectNoA11yViolations(page, testInfo, 'sign-in');
  });

  test('a wrong password shows a precise error and keeps the user signed out', async ({ page }) => {
    await openSignedOut(page);
    await page.getByLabel('User name').fill('operator1');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByLabel('Password').press('Enter');
    const error = page.getByTestId('signin-error');
    await expect(error).toBeVisible();
    await expect(error).not.toBeEmpty();
    await expect(page.getByRole('alert').filter({ hasText: 'Sign-in failed' })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0);
  });

  test('empty fields are refused with field-level messages', async ({ page }) => {
    await openSignedOut(page);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('signin-error')).toBeVisible();
    // The service names the fields; the form shows each message under its input.
    await expect(page.getByText('enter your user name')).toBeVisible();
    await expect(page.getByText('enter your password')).toBeVisible();
  });

  test('sign-out returns to the sign-in screen and the session is gone after a reload', async ({ page }) => {
    await signIn(page, 'operator1', DEMO_PASSWORD);
    await expect(page.getByTestId('status-user')).not.toBeEmpty();
    await signOut(page);
    await page.reload();
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0);
  });
});
