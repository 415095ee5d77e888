import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createChecklistService } from '../../electron/services/checklist/checklist-service';
import { openLocalStore, type LocalStore } from '../../electron/services/store/local-store';
import { shippedModules } from '../support/sop-solver';
import { makeException } from './fixtures/exception-factory';
import { tempDir } from '../support/temp-dir';

const tmp = tempDir('sop-retired');
afterAll(() => tmp.remove());
const USER = 'user-operator1';

let store: LocalStore;
let n = 0;
beforeEach(() => {
  store = openLocalStore(tmp.path(`retired-${(n += 1)}.sqlite`));
  const shipped = shippedModules();
  const base = shipped.find((m) => m.id === 'rate-mismatch');
  if (!base) throw new Error('rate-mismatch is not shipped');
  store.sops.putAll([...shipped, { ...base, version: '1.1.0' }]);
});
afterEach(() => store.close());

const item = (k: number): string => {
  const record = makeException(k, { type: 'rate_mismatch', status: 'assigned', assigneeId: USER });
  store.exceptions.upsert(record);
  return record.id;
};

describe('the desk SOP cache and retired versions', () => {
  it('starts a new item on the newest live version, never on a retired one', () => {
    const checklists = createChecklistService(store);
    const started = item(1);
    expect(checklists.view(USER, started).module?.version).toBe('1.1.0');
    // Started on 1.1.0 before the retirement: it keeps that version.
    checklists.save(USER, { exceptionId: started, answers: {}, activeMsDelta: 0, stepMsDelta: {} });

    store.sops.setRetired([{ moduleId: 'rate-mismatch', version: '1.1.0' }]);
    expect(checklists.view(USER, item(2)).module?.version).toBe('1.0.0');
    expect(checklists.view(USER, started).module?.version).toBe('1.1.0');
    // Still held, so a checklist begun on it opens offline.
    expect(store.sops.get('rate-mismatch', '1.1.0')).not.toBeNull();

    store.sops.setRetired([]);
    expect(checklists.view(USER, item(3)).module?.version).toBe('1.1.0');
  });
});
