import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppServices, type AppServices } from '../../electron/services/app-services';
import { createMemorySecretStore } from '../../electron/services/session/secret-store';
import { EVIDENCE_MAX_BYTES } from '@shared/evidence/file-type';
import type { AttachmentRef } from '@shared/sop/module';
import { fillChecklistViaBridge } from '../support/desktop-checklist';
import { FILES, sha256Of } from '../support/evidence-files';
import { waitFor } from '../support/wait-for';
import {
  apiLogin,
  LEAD1,
  OPERATOR1,
  startSyncServer,
  stopSyncClusters,
  type SyncServer,
} from './sync-server';
import { call, ok } from './typed-dispatch';
import { tempDir } from '../support/temp-dir';

/**
 * Evidence files offline: an operator attaches a file with the server down, answers the
 * checklist with it and resolves; when the server returns, the file uploads before the result
 * that names it, and a lead downloads the very same bytes.
 */
const tmp = tempDir('evidence');
const dir = tmp.dir;
let server: SyncServer;
let app: AppServices;

beforeAll(async () => {
  server = await startSyncServer({ demoCount: 300 });
  app = await createAppServices({
    dataDir: join(dir, 'client'),
    secretStore: createMemorySecretStore(),
    mode: 'browser',
    defaultServerUrl: server.url,
    version: 'test',
    syncIntervalMs: 600_000,
    serverEvents: true,
    backoff: { baseMs: 50, capMs: 500 },
    leases: { prefetchCount: () => 5 },
  });
  await app.start();
}, 180_000);

afterAll(async () => {
  await app?.close();
  await server?.close();
  await stopSyncClusters();
  tmp.remove();
});

const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

describe('evidence attached offline', () => {
  it('is kept locally, uploads before its result when the link is back, and a lead downloads the same bytes', async () => {
    ok(await call(app.router, 'session.signIn', OPERATOR1));
    expect(ok(await call(app.router, 'sync.now', {}))).toMatchObject({ state: 'idle', online: true });
    await server.down();

    // Offline: attach a PDF (named as an attacker would) and a file that is not allowed.
    const ref = ok(
      await call(app.router, 'evidence.attach', {
        name: '../../etc/passwd',
        declaredType: 'application/pdf',
        data: base64(FILES.pdf),
      }),
    );
    expect(ref).toMatchObject({
      name: 'passwd.pdf',
      type: 'application/pdf',
      size: FILES.pdf.length,
      sha256: sha256Of(FILES.pdf),
    });
    const disguised = await call(app.router, 'evidence.attach', {
      name: 'invoice.pdf',
      declaredType: 'application/pdf',
      data: base64(FILES.html),
    });
    expect(disguised).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const tooBig = await call(app.router, 'evidence.attach', {
      name: 'big.txt',
      declaredType: 'text/plain',
      data: base64(Buffer.alloc(EVIDENCE_MAX_BYTES + 1, 0x41)),
    });
    expect(tooBig.ok).toBe(false);
    if (!tooBig.ok) expect(tooBig.error.message).toMatch(/10 MB/);

    // Viewable from the local store while offline.
    const local = ok(await call(app.router, 'evidence.read', { sha256: ref.sha256! }));
    expect(Buffer.from(local.data, 'base64').equals(FILES.pdf)).toBe(true);

    // Answer the checklist with the file and resolve, still offline.
    const item = ok(await call(app.router, 'work.next', {})).item!;
    const exceptionId = item.exception.id;
    const filled = await fillChecklistViaBridge(app.router, exceptionId, {
      prefer: { actions: ['escalate'], approval: 'avoid' },
      note: 'partner statement attached',
    });
    const view = ok(await call(app.router, 'checklist.get', { exceptionId }));
    const answers = { ...view.draft.answers, 'attached-proof': [ref] as AttachmentRef[] };
    ok(await call(app.router, 'checklist.save', { exceptionId, answers, activeMsDelta: 0, stepMsDelta: {} }));
    ok(await call(app.router, 'exception.resolve', { exceptionId, resolution: filled.resolution }));
    expect(app.sync.status().pending).toBeGreaterThan(0);

    await server.up();
    await waitFor(() => app.sync.status().pending === 0 && app.sync.status().state === 'idle', 60_000);
    expect(app.sync.status()).toMatchObject({ failed: 0, conflicts: 0 });

    const [outcome] = await server.db.query<{ outcome: string }>(
      `SELECT outcome FROM sync_mutations WHERE exception_id = $1 AND kind = 'exception.resolve'`,
      [exceptionId],
    );
    expect(outcome?.outcome).toBe('applied');

    const lead = await apiLogin(server.url, LEAD1);
    const res = await fetch(`${server.url}/api/evidence/${ref.sha256!}`, {
      headers: { authorization: `Bearer ${lead}` },
    });
    expect(res.status).toBe(200);
    const downloaded = Buffer.from(await res.arrayBuffer());
    expect(sha256Of(downloaded)).toBe(ref.sha256);
    expect(res.headers.get('content-disposition')).toMatch(/filename="passwd.pdf"/);
  }, 120_000);
});
