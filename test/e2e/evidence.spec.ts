import { createHash } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { chooseType, keys, resolveWith, takeNext } from './workspace-keys';
import { signIn, waitForSyncedQueue } from './helpers';
import { apiToken, expectServerStatus, serverUrl } from './work-api';

const PDF = Buffer.from('%PDF-1.7\n% remittance advice for the e2e test\n%%EOF\n');
const HTML = Buffer.from('<!doctype html><script>alert(1)</script>');

/**
 * Evidence in the workspace: a file answer takes a real file (checked by content), lists it with
 * its size, refuses a disguised one with a clear message, and the file reaches the server with
 * the result, where a lead can download it.
 */
test.describe('evidence files', () => {
  test.describe.configure({ timeout: 240_000 });

  test('a remittance advice is attached, a disguised file refused, and a lead downloads it after the resolve', async ({
    page,
  }) => {
    await signIn(page, 'operator1');
    await waitForSyncedQueue(page);
    await chooseType(page, 'Short payment');
    const id = await takeNext(page, 'Short payment');

    // The attach button is the step's first control, reached by keys like any other.
    await keys(page, ['Alt+j']);
    await expect(page.getByRole('button', { name: /^Attach file: Remittance advice/ })).toBeFocused();

    const step = page.locator('[data-step-id="match-payment"]');
    const input = page.getByTestId('evidence-input-remittance-advice');
    await input.setInputFiles({ name: 'invoice.pdf', mimeType: 'application/pdf', buffer: HTML });
    await expect(step.getByRole('alert')).toContainText('not a PDF');

    await input.setInputFiles({ name: '../../remittance.pdf', mimeType: 'application/pdf', buffer: PDF });
    const listed = step.getByRole('list', { name: /Files attached/ });
    await expect(listed).toContainText('remittance.pdf');
    await expect(listed).toContainText(`(${PDF.length} B)`);
    await expect(step.getByRole('alert')).toHaveCount(0);

    await step.getByRole('checkbox').focus();
    await keys(page, ['Space']);
    await expect(step.getByRole('checkbox')).toBeChecked();
    // Then the checklist as the keyboard-only workspace test answers it.
    await keys(page, ['Alt+j', 'Space']);
    if (await page.locator('[data-step-id="reseller-margin"]').isVisible())
      await keys(page, ['Alt+j', 'Space']);
    await resolveWith(
      page,
      /^53 /,
      /^Partner dispute$/,
      'Bank charges deducted in transit; remittance attached.',
    );
    await expect(page.getByTestId('work-notice')).toContainText(`${id} resolved`);
    await expectServerStatus(id, ['resolved']);

    const sha = createHash('sha256').update(PDF).digest('hex');
    const lead = await apiToken('lead1');
    const res = await fetch(`${serverUrl()}/api/evidence/${sha}`, {
      headers: { authorization: `Bearer ${lead}` },
    });
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(PDF)).toBe(true);
  });
});
