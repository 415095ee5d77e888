import { afterAll, describe, expect, it } from 'vitest';
import { openLocalStore } from '../../electron/services/store/local-store';
import { tempDir } from '../support/temp-dir';

const tmp = tempDir('checklist-drafts');
afterAll(() => tmp.remove());

const sop = { moduleId: 'usage-mismatch', version: '1.1.0' };
const form = {
  code: '133',
  action: 'partner_dispute',
  amount: '',
  followUp: '',
  note: 'Partner re-sent the usage file',
};

describe('checklist drafts', () => {
  it('keep the resolution form with the answers, across saves that leave it out and a reopen of the file', () => {
    const file = tmp.path('drafts.sqlite');
    let store = openLocalStore(file);
    store.checklists.save('op1', 'EX-1', {
      sop,
      answers: { 'same-usage': 'yes' },
      activeMsDelta: 1000,
      stepMsDelta: {},
      resolution: form,
      now: 1,
    });
    // An answer saved on its own (no form in the call) leaves the form as it was.
    store.checklists.save('op1', 'EX-1', {
      sop,
      answers: { 'same-usage': 'yes', 'internal-quantity': '1250.5' },
      activeMsDelta: 500,
      stepMsDelta: {},
      now: 2,
    });
    store.close();

    store = openLocalStore(file);
    const row = store.checklists.get('op1', 'EX-1');
    expect(row?.resolution).toEqual(form);
    expect(row?.answers).toEqual({ 'same-usage': 'yes', 'internal-quantity': '1250.5' });
    expect(row?.activeMs).toBe(1500);
    // Another operator's draft of the same item is their own.
    expect(store.checklists.get('op2', 'EX-1')).toBeNull();
    store.close();
  });

  it('starts with no resolution form before the operator touches it', () => {
    const store = openLocalStore(tmp.path('fresh.sqlite'));
    const row = store.checklists.save('op1', 'EX-2', {
      sop,
      answers: {},
      activeMsDelta: 0,
      stepMsDelta: {},
      now: 1,
    });
    expect(row.resolution).toBeNull();
    store.close();
  });
});
