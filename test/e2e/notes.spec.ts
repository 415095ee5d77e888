import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { chooseType, selectByKeys } from './workspace-keys';
import { expectFocusInDialog, openSignedIn, startHost, stopHost } from './separate-host';
import { apiToken, serverUrl } from './work-api';
import { signIn, waitForSyncedQueue } from './helpers';

/**
 * Issue 11 item 1 and acceptance 2: at 1366x768 an operator works three items by keyboard only
 * and leaves a note on each; the notes are in the item's thread after reopening it, after the
 * desk restarts (a new host process over the same data folder), on the server, and for a lead
 * (drawer and history). Every dialog the flow opens has focus in it.
 */
test.use({ viewport: { width: 1366, height: 768 } });

const TYPES = ['Rate mismatch', 'Late metering', 'Credit not applied'] as const;
const AUTHOR = 'Miguel Santos';

async function takeNextOf(page: Page, typeLabel: string): Promise<string> {
  await chooseType(page, typeLabel);
  await page.keyboard.press('Alt+n');
  const title = page.locator('.ld-workspace-title');
  await expect(title).toContainText(typeLabel, { timeout: 30_000 });
  const id = (await title.locator('.ld-mono').textContent())?.trim() ?? '';
  expect(id).toMatch(/^EX-/);
  return id;
}

/** Opens an item from the queue by keyboard: search (/), its id, Down to the row, Enter. */
async function openInDrawer(page: Page, id: string): Promise<void> {
  // Every type: the type filter (T) still holds the last item's type.
  await page.keyboard.press('t');
  await selectByKeys(page, page.getByLabel('Exception type'), /^All/);
  await page.keyboard.press('/');
  await expect(page.getByLabel('Search exceptions')).toBeFocused();
  await page.keyboard.press('Control+a');
  await page.keyboard.type(id);
  await expect(page.getByTestId('queue-total')).toHaveText(/^1 exception$/);
  await page.keyboard.press('Enter');
  const drawer = page.getByTestId('exception-drawer');
  if (!(await drawer.isVisible())) {
    // The search box keeps focus after Enter: move to the grid's row and open it.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
  }
  // On a loaded CI machine an Enter pressed while the row was still taking focus was seen to be
  // lost once in three runs (the row focused, no drawer): press it again on the focused row.
  await expect(async () => {
    if (!(await drawer.isVisible())) {
      await expect(page.locator('[data-testid="queue-grid"] .ag-cell-focus')).toBeVisible();
      await page.keyboard.press('Enter');
    }
    await expect(drawer).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 30_000 });
  await expectFocusInDialog(page, 'exception drawer');
}

function thread(page: Page, scope: 'drawer' | 'workspace') {
  const root = scope === 'drawer' ? page.getByTestId('exception-drawer') : page.locator('.ld-workspace');
  return root.getByTestId('notes-thread');
}

test('notes written by keyboard on three items stay in their threads after reopening and a restart', async ({
  page,
}) => {
  test.setTimeout(600_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'ledgerdesk-notes-'));
  let host = await startHost(dataDir);
  const worked: { id: string; note: string }[] = [];
  try {
    await openSignedIn(page, host.url, 'operator2');
    for (const [i, type] of TYPES.entries()) {
      const id = await takeNextOf(page, type);
      const note = `Note ${i + 1} on ${id}: partner asked for the corrected rate card`;
      // Alt+M goes to the note field; Ctrl+Shift+Enter adds the note.
      await page.keyboard.press('Alt+m');
      await expect(page.locator('#note-text')).toBeFocused();
      await page.keyboard.type(note);
      await page.keyboard.press('Control+Shift+Enter');
      const item = thread(page, 'workspace').getByRole('listitem').filter({ hasText: note });
      await expect(item).toBeVisible();
      await expect(item).toContainText(AUTHOR);
      await expect(page.locator('#note-text')).toHaveValue('');
      // The skip dialog opens with focus in its first field; Esc keeps working.
      await page.keyboard.press('Alt+s');
      await expectFocusInDialog(page, 'skip dialog');
      await expect(page.locator('#skip-reason-choice')).toBeFocused();
      await page.keyboard.press('Escape');
      await expect(page.getByRole('dialog', { name: /^Skip / })).toBeHidden();
      await page.keyboard.press('Escape');
      await expect(page.locator('.ld-workspace')).toBeHidden();
      worked.push({ id, note });
    }

    // Reopened in the workspace (get next resumes the same item) and in the drawer: still there.
    const first = worked[0]!;
    expect(await takeNextOf(page, TYPES[0])).toBe(first.id);
    await expect(thread(page, 'workspace')).toContainText(first.note);
    await page.keyboard.press('Escape');
    for (const { id, note } of worked) {
      await openInDrawer(page, id);
      await expect(thread(page, 'drawer')).toContainText(note);
      await page.keyboard.press('Escape');
      await expect(page.getByTestId('exception-drawer')).toBeHidden();
    }

    // The server has them, with the author (pushed by the sync).
    const token = await apiToken('lead1');
    for (const { id, note } of worked) {
      await expect
        .poll(async () => {
          const res = await fetch(`${serverUrl()}/api/exceptions/${id}/notes`, {
            headers: { authorization: `Bearer ${token}` },
          });
          return ((await res.json()) as { notes: { text: string; authorName: string }[] }).notes;
        })
        .toEqual([expect.objectContaining({ text: note, authorName: AUTHOR })]);
    }

    // Restart: a new host process over the same data folder.
    await stopHost(host);
    host = await startHost(dataDir);
    await openSignedIn(page, host.url, 'operator2');
    for (const { id, note } of worked) {
      await openInDrawer(page, id);
      const entry = thread(page, 'drawer').getByRole('listitem').filter({ hasText: note });
      await expect(entry).toContainText(AUTHOR);
      await expect(entry).not.toContainText('not synced yet');
      await page.keyboard.press('Escape');
    }
  } finally {
    await stopHost(host);
    rmSync(dataDir, { recursive: true, force: true });
  }

  // A lead on another desk reads the thread in the drawer, and the history row carries the text.
  await signIn(page, 'lead1');
  await waitForSyncedQueue(page);
  const { id, note } = worked[1]!;
  await openInDrawer(page, id);
  await expect(thread(page, 'drawer')).toContainText(note);
  await expect(page.getByTestId('exception-history')).toContainText(note);
});
