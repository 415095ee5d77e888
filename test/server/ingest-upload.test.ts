import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ingestBatchesResponseSchema,
  ingestRejectedSchema,
  ingestUploadResponseSchema,
} from '@shared/api/ingest';
import { reconRunDetailSchema, reconRunsResponseSchema, runReconResponseSchema } from '@shared/api/recon';
import { DEMO_PASSWORD } from '../../server/src/demo/users';
import { startTestApp, type TestApp } from './helpers/app';
import { databaseTargets } from './helpers/databases';
import { expectApiError, login, request } from './helpers/http';
import { PERIOD, reconMonth } from '../support/recon-month';
import { postRaw } from '../support/sop-upload';

/** Issue 13 acceptance 6, the server half: a lead uploads files over HTTP and reads the run's outcomes. */
describe.each(databaseTargets())('uploading partner files on $kind', (target) => {
  let app: TestApp;
  let lead: string;
  let operator: string;
  const month = reconMonth();
  const upload = (
    token: string | undefined,
    file: { fileName: string; bytes: Uint8Array },
    format?: string,
  ) =>
    postRaw(app.url, '/api/ingest/files', token, file.bytes, {
      name: file.fileName,
      ...(format ? { format } : {}),
    });
  const batchCount = async (): Promise<number> =>
    Number((await app.db.query<{ n: string }>('SELECT count(*) AS n FROM ingest_batches'))[0]?.n);

  beforeAll(async () => {
    app = await startTestApp(target);
    lead = (await login(app.url, 'lead1', DEMO_PASSWORD)).accessToken;
    operator = (await login(app.url, 'operator1', DEMO_PASSWORD)).accessToken;
  });
  afterAll(async () => {
    await app?.close();
  });

  it('imports a file as one batch, then answers "already imported" for the same bytes and changes nothing', async () => {
    const file = month.files.find((f) => f.fileName.includes('aws-metering'));
    if (!file) throw new Error('the month has no aws-metering file');
    const first = await upload(lead, file);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const summary = ingestUploadResponseSchema.parse(first.body).summary;
    expect(summary).toMatchObject({ outcome: 'imported', format: 'aws-metering', rows: 10 });

    const again = await upload(lead, { ...file, fileName: 'renamed.csv' });
    expect(again.status).toBe(200);
    expect(ingestUploadResponseSchema.parse(again.body).summary).toMatchObject({
      outcome: 'already_imported',
      batchId: summary.batchId,
      previous: { fileName: file.fileName },
    });
    expect(await batchCount()).toBe(1);

    const listed = await request(app.url, '/api/ingest/batches', { token: lead });
    expect(listed.status).toBe(200);
    const [batch] = ingestBatchesResponseSchema.parse(listed.body).batches;
    expect(batch).toMatchObject({
      id: summary.batchId,
      fileName: file.fileName,
      format: 'aws-metering',
      rows: 10,
      sha256: summary.sha256,
      importedByName: expect.any(String),
      status: 'waiting',
    });
  });

  it('refuses a malformed file whole with 422, naming file, row and column, and stores nothing', async () => {
    const before = await batchCount();
    const text =
      'MeteringRecordId,ProductCode,Timestamp,CustomerAWSAccountId,Dimension,Quantity,Status\r\n' +
      'M-1,prod-llm,2026-03-02T10:00:00Z,111111111111,tokens,12,Success\r\n' +
      'M-2,prod-llm,not-a-time,111111111111,tokens,abc,Success\r\n';
    const res = await upload(lead, { fileName: 'broken.csv', bytes: new TextEncoder().encode(text) });
    expect(res.status).toBe(422);
    const body = ingestRejectedSchema.parse(res.body);
    expect(body.problems.length).toBeGreaterThanOrEqual(2);
    expect(body.problems[0]).toMatchObject({ file: 'broken.csv', row: 3 });
    expect(body.problems.map((p) => p.column)).toEqual(expect.arrayContaining(['Timestamp', 'Quantity']));
    expect(await batchCount()).toBe(before);

    const forced = await upload(
      lead,
      month.files[0] as { fileName: string; bytes: Uint8Array },
      'bank-statement',
    );
    expect(forced.status).toBe(422);
    expect(await batchCount()).toBe(before);
    expectApiError(
      await upload(lead, { fileName: 'empty.csv', bytes: new Uint8Array() }),
      400,
      'invalid_request',
    );
    expectApiError(
      await upload(lead, { fileName: 'x.csv', bytes: new Uint8Array([65]) }, 'no-such-format'),
      400,
      'invalid_request',
    );
  });

  it('refuses operators and anonymous callers before reading the file', async () => {
    const file = month.files[1] as { fileName: string; bytes: Uint8Array };
    expectApiError(await upload(operator, file), 403, 'forbidden');
    expectApiError(await upload(undefined, file), 401, 'unauthorized');
    expectApiError(await request(app.url, '/api/ingest/batches', { token: operator }), 403, 'forbidden');
    expectApiError(await request(app.url, '/api/recon/runs', { token: operator }), 403, 'forbidden');
  });

  it('after a run, lists it and drills into what it opened, with the batches marked reconciled', async () => {
    for (const f of month.files) {
      const res = await upload(lead, f);
      expect([200, 201], JSON.stringify(res.body)).toContain(res.status);
    }
    const ran = await request(app.url, '/api/recon/runs', { token: lead, body: { period: PERIOD } });
    expect(ran.status).toBe(200);
    const run = runReconResponseSchema.parse(ran.body).run;
    expect(run.opened).toBeGreaterThan(0);

    const runs = reconRunsResponseSchema.parse(
      (await request(app.url, '/api/recon/runs', { token: lead })).body,
    );
    expect(runs.runs[0]).toEqual(run);
    const detailRes = await request(app.url, `/api/recon/runs/${run.id}`, { token: lead });
    expect(detailRes.status).toBe(200);
    const detail = reconRunDetailSchema.parse(detailRes.body);
    expect(detail.outcomes).toHaveLength(run.opened);
    expect(detail.outcomes.every((o) => o.outcome === 'opened' && o.status === 'open')).toBe(true);
    expect(detail.suggestions).toHaveLength(run.suggested);
    // What matched is kept for the drill-down, each with the amounts compared and its source rows.
    expect(detail.matched).toHaveLength(run.matched);
    for (const m of detail.matched) expect(m.sources).toBeGreaterThan(0);
    expectApiError(await request(app.url, '/api/recon/runs/999999', { token: lead }), 404, 'not_found');

    const batches = ingestBatchesResponseSchema.parse(
      (await request(app.url, '/api/ingest/batches', { token: lead })).body,
    ).batches;
    expect(batches.every((b) => b.status === 'reconciled')).toBe(true);
  });
});
