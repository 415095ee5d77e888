import { expect, type Locator, type Page } from '@playwright/test';
import { keyOf } from '../../renderer/src/commands/commands';

/** Keyboard-only drivers for the operator workspace (shared by the workspace and crash specs). */

type Key = string | { type: string };

export async function keys(page: Page, list: readonly Key[]): Promise<void> {
  for (const k of list) {
    if (typeof k === 'string') await page.keyboard.press(k);
    else await page.keyboard.type(k.type);
  }
}

/**
 * Picks an option of the focused native select with arrow keys (type-ahead depends on typing
 * speed, and a space opens the popup). Reads the options to count the presses, then only presses keys.
 */
export async function selectByKeys(page: Page, select: Locator, option: RegExp): Promise<void> {
  await expect(select).toBeFocused();
  const { from, to } = await select.evaluate((el, source) => {
    const s = el as HTMLSelectElement;
    const re = new RegExp(source);
    return { from: s.selectedIndex, to: [...s.options].findIndex((o) => re.test(o.text)) };
  }, option.source);
  if (to < 0) throw new Error(`no option matching ${option} in the select`);
  for (let i = from; i < to; i += 1) await page.keyboard.press('ArrowDown');
  for (let i = from; i > to; i -= 1) await page.keyboard.press('ArrowUp');
}

/** Focuses the queue's type filter by its shortcut (T) and picks a type. */
export async function chooseType(page: Page, label: string): Promise<void> {
  const select = page.getByLabel('Exception type');
  // T again if the first press came while the screen was still settling (seen once on a loaded
  // CI box right after sign-in); never while a text field has focus, where it would be typed.
  await expect(async () => {
    const idle = await page.evaluate(() => !document.activeElement?.matches('input, textarea, select'));
    if (idle) await page.keyboard.press(keyOf('queue.type'));
    await expect(select).toBeFocused({ timeout: 2_000 });
  }).toPass({ timeout: 15_000 });
  await selectByKeys(page, select, new RegExp(`^${label}$`));
  await expect(select).toHaveValue(label.toLowerCase().replace(/ /g, '_'));
}

export async function takeNext(page: Page, typeLabel: string): Promise<string> {
  await page.keyboard.press(keyOf('work.next'));
  const title = page.locator('.ld-workspace-title');
  await expect(title).toContainText(typeLabel, { timeout: 30_000 });
  await expect(page.locator('.ld-steps')).toBeVisible();
  const id = (await title.locator('.ld-mono').textContent())?.trim() ?? '';
  expect(id).toMatch(/^EX-/);
  return id;
}

/** Chooses a resolution code and action, an amount if given, writes the note and resolves (Ctrl+Enter). */
export async function resolveWith(
  page: Page,
  code: RegExp,
  action: RegExp,
  note: string,
  amount?: string,
): Promise<void> {
  await page.keyboard.press(keyOf('workspace.resolution'));
  await selectByKeys(page, page.locator('#resolution-code'), code);
  await page.keyboard.press('Tab');
  await selectByKeys(page, page.locator('#resolution-action'), action);
  if (amount !== undefined) {
    await page.keyboard.press('Tab');
    await expect(page.locator('#resolution-amount')).toBeFocused();
    await page.keyboard.type(amount);
  }
  // Tab past a date field if the action shows one, to the note.
  while (!(await page.locator('#resolution-note').evaluate((el) => el === document.activeElement))) {
    await page.keyboard.press('Tab');
  }
  await page.keyboard.type(note);
  await page.keyboard.press(keyOf('workspace.resolve'));
}

/**
 * Works short payments (type filter already on them) by keyboard and writes each off until one
 * is above its SOP threshold and waits for a lead; returns its id. Below the threshold (a bank
 * charge) a write-off needs no lead, and earlier specs may have taken the larger ones.
 */
export async function writeOffUntilALeadMustApprove(page: Page): Promise<string> {
  for (let attempt = 0; ; attempt += 1) {
    const id = await takeNext(page, 'Short payment');
    await keys(page, ['Alt+j', 'Tab', 'Space', 'Alt+j', 'Space']);
    if (await page.locator('[data-step-id="reseller-margin"]').isVisible())
      await keys(page, ['Alt+j', 'Space']);
    await resolveWith(
      page,
      /^53 /,
      /^Write off$/,
      // No amount: a write-off closes the item's whole variance, which the form fills in.
      'Customer will not pay the balance; write it off.',
    );
    const notice = page.getByTestId('work-notice');
    await expect(notice).toContainText(new RegExp(`^${id} (is waiting for a lead to approve|resolved)`));
    if ((await notice.textContent())?.includes('waiting for a lead')) return id;
    expect(attempt, 'a short payment whose write-off needs a lead').toBeLessThan(8);
    await page.keyboard.press('Escape');
    await expect(page.locator('.ld-workspace')).toBeHidden();
  }
}

/**
 * Ticks the focused checkbox of a step with Space and waits for the step to complete; presses
 * Space again only while that checkbox still has focus and is unticked (a press lost on a loaded box).
 */
export async function tickStep(page: Page, stepId: string): Promise<void> {
  const box = page.locator(`[data-step-id="${stepId}"] input`).first();
  await expect(box).toBeFocused();
  await expect(async () => {
    const untickedAndFocused = await box.evaluate(
      (el) => el === document.activeElement && !(el as HTMLInputElement).checked,
    );
    if (untickedAndFocused) await page.keyboard.press('Space');
    await expect(page.locator(`[data-step-id="${stepId}"]`)).toHaveAttribute('data-complete', 'true', {
      timeout: 3_000,
    });
  }).toPass({ timeout: 20_000 });
}

/**
 * Gets next (Alt+N) until `id` opens, skipping with a reason each item handed out before it (an
 * item opened after an earlier resolve is started work, and started work comes first).
 */
export async function takeNextUntil(page: Page, id: string): Promise<void> {
  await page.keyboard.press(keyOf('work.next'));
  const title = page.locator('.ld-workspace-title .ld-mono');
  for (let skipped = 0; ; skipped += 1) {
    await expect(title).toHaveText(/^EX-/, { timeout: 30_000 });
    const shown = ((await title.textContent()) ?? '').trim();
    if (shown === id) return;
    expect(skipped, `get next gives ${id} back`).toBeLessThan(6);
    await page.keyboard.press(keyOf('workspace.skip'));
    await selectByKeys(page, page.getByLabel('Reason (from the SOP)'), /^Other$/);
    await page.keyboard.press('Tab');
    await page.keyboard.type('left for another operator while a returned item waits');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('work-notice')).toContainText(`${shown} skipped`);
    await expect(title).not.toHaveText(shown);
  }
}
