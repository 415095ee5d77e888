import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { openSignedIn, startHost } from './separate-host';
import { chooseType, keys, takeNext } from './workspace-keys';

test('killing the app mid-checklist loses nothing: reopened, the item shows every answer given and the resolution note', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'ledgerdesk-crash-'));
  let host = await startHost(dataDir);
  try {
    await openSignedIn(page, host.url, 'operator2');
    await chooseType(page, 'Usage mismatch');
    const id = await takeNext(page, 'Usage mismatch');
    // Same usage on both sides; then the two quantities (typed; saved after a short pause).
    await keys(page, ['Alt+j', 'Space', 'Alt+j', { type: '1250.5' }, 'Tab', { type: '1200' }]);
    await expect(page.getByTestId('save-state')).toHaveAttribute('data-state', 'saved');
    await expect(page.locator('#field-partner-quantity')).toHaveValue('1200');
    // The resolution note is autosaved with the answers.
    const note = 'Partner re-sent the usage file; the quantities differ by 50.5';
    await page.keyboard.press('Alt+r');
    await page.locator('#resolution-note').fill(note);
    await expect(page.getByTestId('save-state')).toHaveAttribute('data-state', 'saved');

    host.child.kill('SIGKILL');
    await new Promise((r) => host.child.once('exit', r));

    host = await startHost(dataDir);
    await openSignedIn(page, host.url, 'operator2');
    await chooseType(page, 'Usage mismatch');
    // Get next resumes the item already in progress before any new one.
    expect(await takeNext(page, 'Usage mismatch')).toBe(id);
    await expect(page.getByRole('radio', { name: /^Same:/ })).toBeChecked();
    await expect(page.locator('#field-internal-quantity')).toHaveValue('1250.5');
    await expect(page.locator('#field-partner-quantity')).toHaveValue('1200');
    await expect(page.locator('[data-step-id="quantities"]')).toHaveAttribute('data-complete', 'true');
    await expect(page.locator('#resolution-note')).toHaveValue(note);
  } finally {
    host.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});
