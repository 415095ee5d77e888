import { screenEntry } from '../../renderer/src/app/screens';
import { pressKeys } from '../../renderer/src/commands/commands';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import * as XLSX from 'xlsx';
import { keyOf } from '../../renderer/src/commands/commands';
import { moduleZip } from '../support/sop-upload';
import { expectNoA11yViolations, saveScreenshot, signIn, signOut } from './helpers';
import { openSignedIn, startHost, stopHost } from './separate-host';
import { apiToken, serverUrl } from './work-api';

const MODULE = 'rate-mismatch';
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The workbook template the server exports for the module, with cells changed. */
async function workbook(cells: Record<string, Record<string, string>>): Promise<Buffer> {
  const res = await fetch(`${serverUrl()}/api/sops/template.xlsx?module=${MODULE}`, {
    headers: { authorization: `Bearer ${await apiToken('trainer1')}` },
  });
  expect(res.status).toBe(200);
  const book = XLSX.read(Buffer.from(await res.arrayBuffer()), { type: 'buffer' });
  for (const [sheet, refs] of Object.entries(cells)) {
    for (const [ref, v] of Object.entries(refs)) (book.Sheets[sheet] as XLSX.WorkSheet)[ref] = { t: 's', v };
  }
  return XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
}

async function loadFile(page: Page, name: string, mimeType: string, buffer: Buffer): Promise<void> {
  await page.getByTestId('sop-file').setInputFiles({ name, mimeType, buffer });
}

/** What this desk's SOP cache holds for the version (the desk's own bridge, as the workspace reads it). */
async function deskHas(page: Page, version: string): Promise<boolean> {
  return page.evaluate(
    async ([moduleId, v]) => {
      await fetch('/bridge/invoke/sync.now', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      const res = await fetch('/bridge/invoke/sop.get', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ moduleId, version: v }),
      });
      const body = (await res.json()) as { ok: boolean; value?: { module: unknown } };
      return body.ok && body.value?.module != null;
    },
    [MODULE, version] as const,
  );
}

test('a trainer loads a module from a zip and a workbook, sees precise errors, previews and publishes; desks receive it by sync, an offline one later', async ({
  page,
  browser,
}, testInfo) => {
  test.setTimeout(300_000);
  const onlineDir = mkdtempSync(join(tmpdir(), 'ledgerdesk-sop-online-'));
  const offlineDir = mkdtempSync(join(tmpdir(), 'ledgerdesk-sop-offline-'));
  // Two other desks: one stays online through the publish, the other is not running then.
  const online = await startHost(onlineDir);
  let offline = await startHost(offlineDir);
  const onlineContext = await browser.newContext();
  const offlineContext = await browser.newContext();
  try {
    const onlinePage = await onlineContext.newPage();
    const offlinePage = await offlineContext.newPage();
    await openSignedIn(onlinePage, online.url, 'operator2');
    await openSignedIn(offlinePage, offline.url, 'lead1');
    expect(await deskHas(offlinePage, '1.1.0')).toBe(false);
    await offlinePage.close();
    await stopHost(offline);

    await signIn(page, 'trainer1');
    await page.keyboard.press(pressKeys(screenEntry('sops').combo));
    await expect(page.getByRole('heading', { name: 'SOPs', level: 1 })).toBeVisible();
    const grid = page.getByTestId('sop-library-grid');
    await expect(grid.locator('.ag-row', { hasText: MODULE }).first()).toBeVisible();
    await expectNoA11yViolations(page, testInfo, 'sop-library');

    // A broken zip: the field's type is misspelt. The file, its line and the field are named.
    const broken = moduleZip(MODULE, '1.1.0', (path, text) =>
      path === 'steps/rates.md' ? text.replace('type: number', 'type: numbr') : text,
    );
    await loadFile(page, 'rates-broken.zip', 'application/zip', broken);
    const result = page.getByTestId('sop-load-result');
    await expect(result).toContainText('rates-broken.zip was not loaded; nothing was stored');
    await expect(result.getByRole('list', { name: 'Problems in rates-broken.zip' })).toContainText(
      /rate-mismatch\/steps\/rates\.md:\d+ fields\[\d\]/,
    );
    await expectNoA11yViolations(page, testInfo, 'sop-load-problems');
    await saveScreenshot(page, testInfo, 'sop-load-problems');

    // A broken workbook: sheet and row named.
    await loadFile(
      page,
      'rates-broken.xlsx',
      XLSX_TYPE,
      await workbook({ module: { B3: '1.3.0' }, fields: { C3: 'numbr' } }),
    );
    await expect(result).toContainText('rates-broken.xlsx was not loaded');
    await expect(result.getByRole('list')).toContainText(/rates-broken\.xlsx \[fields\]:3/);

    // The valid zip, then a valid workbook: each a draft.
    await loadFile(page, 'rates.zip', 'application/zip', moduleZip(MODULE, '1.1.0'));
    await expect(result).toContainText(`Loaded ${MODULE} v1.1.0 as a draft`);
    await loadFile(page, 'rates.xlsx', XLSX_TYPE, await workbook({ module: { B3: '1.2.0' } }));
    await expect(result).toContainText(`Loaded ${MODULE} v1.2.0 as a draft`);
    await expect(result).toContainText('(xlsx)');

    // Preview 1.1.0 as an operator sees it (a sandbox), then publish it, by keys.
    await grid
      .locator('.ag-row', { hasText: '1.1.0' })
      .filter({ hasText: MODULE })
      .locator('.ag-cell')
      .first()
      .click();
    await expect(page.getByRole('heading', { name: /Rate mismatch v1\.1\.0 · draft/ })).toBeVisible();
    await page.keyboard.press(keyOf('sops.preview'));
    const preview = page.getByTestId('sop-preview');
    await expect(preview.getByRole('heading', { name: 'Preview: Rate mismatch v1.1.0' })).toBeVisible();
    await expect(preview.getByRole('list', { name: 'Checklist: Rate mismatch' })).toBeVisible();
    await expectNoA11yViolations(page, testInfo, 'sop-preview');
    await saveScreenshot(page, testInfo, 'sop-preview');

    await page.keyboard.press(keyOf('sops.publish'));
    const confirm = page.getByRole('alertdialog');
    await expect(confirm).toContainText(`Publish ${MODULE} v1.1.0?`);
    await confirm.getByRole('button', { name: 'Publish' }).press('Enter');
    await expect(page.getByTestId('sop-notice')).toContainText(`Published ${MODULE} v1.1.0`);
    await expect(page.getByRole('heading', { name: /Rate mismatch v1\.1\.0 · published/ })).toBeVisible();

    // The diff against the version before, and the certification matrix.
    await page.keyboard.press(keyOf('sops.diff'));
    await expect(page.getByTestId('sop-diff')).toContainText(`${MODULE}: v1.0.0 → v1.1.0`);
    await page.getByRole('tab', { name: 'Certification' }).click();
    await expect(page.getByTestId('cert-matrix').getByRole('row').nth(1)).toBeVisible();
    await expectNoA11yViolations(page, testInfo, 'sop-certification');
    await saveScreenshot(page, testInfo, 'sop-certification');

    // The desk that stayed online receives it by sync.
    await expect.poll(() => deskHas(onlinePage, '1.1.0'), { timeout: 60_000 }).toBe(true);
    // The desk that was not running gets it when it starts and syncs.
    offline = await startHost(offlineDir);
    const reopened = await offlineContext.newPage();
    await openSignedIn(reopened, offline.url, 'lead1');
    await expect.poll(() => deskHas(reopened, '1.1.0'), { timeout: 60_000 }).toBe(true);
    // A draft never reaches a desk.
    expect(await deskHas(reopened, '1.2.0')).toBe(false);
    await signOut(page);
  } finally {
    await onlineContext.close();
    await offlineContext.close();
    await stopHost(online);
    await stopHost(offline);
    rmSync(onlineDir, { recursive: true, force: true });
    rmSync(offlineDir, { recursive: true, force: true });
  }
});
