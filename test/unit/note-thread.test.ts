import { afterAll, afterEach, beforeEach, expect, it } from 'vitest';
import { createNoteService } from '../../electron/services/notes/note-service';
import { ServerError, type ServerClient } from '../../electron/services/session/server-client';
import { openLocalStore, type LocalStore } from '../../electron/services/store/local-store';
import { createWorkService } from '../../electron/services/work/work-service';
import { makeException } from './fixtures/exception-factory';
import { tempDir } from '../support/temp-dir';

/** Issue 11 item 1 on the desk: a note is in the item's thread at once, offline, and after a reopen of the file. */
const tmp = tempDir('notes');
afterAll(() => tmp.remove());

const AUTHOR = { id: 'user-operator1', displayName: 'Priya Raman' };
let file: string;
let store: LocalStore;
let n = 0;
beforeEach(() => {
  file = tmp.path(`notes-${(n += 1)}.sqlite`);
  store = openLocalStore(file);
});
afterEach(() => store.close());

const offline = (): ServerClient =>
  ({
    exceptionNotes: () => Promise.reject(new ServerError('offline', 'connect ECONNREFUSED')),
  }) as unknown as ServerClient;

it('keeps a note written offline in the thread, marked not synced yet, and still there after reopening the store', async () => {
  const record = makeException(1, { status: 'assigned', assigneeId: AUTHOR.id });
  store.transaction(() => store.exceptions.upsert(record));
  const work = createWorkService({ store, now: () => new Date('2026-07-09T15:22:00Z') });
  const { mutationId } = work.addNote(AUTHOR, record.id, '  Asked AWS for the usage file  ');

  const notes = createNoteService({
    store,
    client: offline,
    tokens: { accessToken: async () => 't' } as never,
  });
  const thread = await notes.thread(record.id);
  expect(thread.offline).toBe(true);
  expect(thread.notes).toEqual([
    {
      id: mutationId,
      exceptionId: record.id,
      authorId: AUTHOR.id,
      authorName: 'Priya Raman',
      at: '2026-07-09T15:22:00.000Z',
      text: 'Asked AWS for the usage file',
      delivery: 'sending',
      problem: null,
    },
  ]);

  store.close();
  store = openLocalStore(file);
  expect(store.notes.forException(record.id).map((x) => x.text)).toEqual(['Asked AWS for the usage file']);
});

it("stores the server's thread (other people's notes) and shows a sent note as sent", async () => {
  const record = makeException(2, { status: 'open' });
  store.transaction(() => store.exceptions.upsert(record));
  const fromServer = {
    id: 'b8e5c0a4-0000-4000-8000-000000000001',
    exceptionId: record.id,
    authorId: 'user-lead1',
    authorName: 'Grace Liu',
    at: '2026-07-09T10:00:00.000Z',
    text: 'Customer confirmed the rate',
  };
  const online = (): ServerClient =>
    ({ exceptionNotes: () => Promise.resolve({ notes: [fromServer] }) }) as unknown as ServerClient;
  const notes = createNoteService({ store, client: online, tokens: {} as never });
  expect(await notes.thread(record.id)).toEqual({
    offline: false,
    notes: [{ ...fromServer, delivery: 'sent', problem: null }],
  });
  // Kept: offline afterwards the thread still has it.
  const later = createNoteService({ store, client: offline, tokens: {} as never });
  expect((await later.thread(record.id)).notes.map((x) => x.authorName)).toEqual(['Grace Liu']);
});
