import { useState } from 'react';
import { Button, Callout, FormGroup, H2, HTMLSelect, HTMLTable } from '@blueprintjs/core';
import { INGEST_UPLOAD_MAX_BYTES } from '@shared/api/ingest';
import { FORMAT_NAMES } from '@shared/ingest/format-registry';
import type { ImportSummary } from '@shared/ingest/summary';
import { call, describeError } from '../../bridge';
import { CommandKey } from '../../commands/CommandKey';
import { formatBytes, toBase64 } from '../../lib/evidence-file';
import { formatDateTime } from '../../lib/format';

interface Props {
  /** The file picker: the screen's upload command clicks it too. */
  inputRef: React.RefObject<HTMLInputElement | null>;
  onImported(): void;
}

type Answer = { name: string; summary: ImportSummary } | { name: string; error: string };

/**
 * Picks files (button or Alt+U) and imports each, all or nothing, on the server. A refused file
 * lists every problem with its row and column; nothing of it is stored.
 */
export function UploadPanel({ inputRef: input, onImported }: Props) {
  const [format, setFormat] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [answers, setAnswers] = useState<Answer[]>([]);

  async function upload(files: readonly File[]): Promise<void> {
    const out: Answer[] = [];
    for (const file of files) {
      setBusy(file.name);
      if (file.size > INGEST_UPLOAD_MAX_BYTES) {
        out.push({
          name: file.name,
          error: `${formatBytes(file.size)}; the limit here is ${formatBytes(INGEST_UPLOAD_MAX_BYTES)} (import larger files with npm run ingest).`,
        });
        continue;
      }
      try {
        const summary = await call('recon.upload', {
          name: file.name,
          ...(format ? { format } : {}),
          data: toBase64(await file.arrayBuffer()),
        });
        out.push({ name: file.name, summary });
      } catch (e) {
        out.push({ name: file.name, error: describeError(e) });
      }
    }
    setBusy(null);
    setAnswers(out);
    if (out.some((a) => 'summary' in a && a.summary.outcome === 'imported')) onImported();
  }

  return (
    <section className="ld-recon-panel" aria-labelledby="recon-upload-h">
      <H2 id="recon-upload-h" className="ld-section-h">
        Import files
      </H2>
      <div className="ld-recon-row">
        <FormGroup label="Format" labelFor="recon-format" inline>
          <HTMLSelect
            id="recon-format"
            value={format}
            onChange={(e) => setFormat(e.currentTarget.value)}
            options={[
              { value: '', label: 'Detect from the header row' },
              ...FORMAT_NAMES.map((f) => ({ value: f })),
            ]}
          />
        </FormGroup>
        <Button icon="upload" loading={busy !== null} onClick={() => input.current?.click()}>
          Choose files <CommandKey id="recon.upload" />
        </Button>
        <input
          ref={input}
          type="file"
          multiple
          accept=".csv,.txt,.tsv,.xlsx"
          hidden
          aria-label="Partner or internal files to import"
          data-testid="recon-file-input"
          onChange={(e) => {
            const files = [...(e.currentTarget.files ?? [])];
            e.currentTarget.value = '';
            if (files.length > 0) void upload(files);
          }}
        />
      </div>
      <div role="status" aria-live="polite" data-testid="recon-upload-status">
        {busy && <span className="ld-small ld-muted">Importing {busy}…</span>}
        {answers.map((a) => (
          <UploadAnswer key={a.name} answer={a} />
        ))}
      </div>
    </section>
  );
}

function UploadAnswer({ answer }: { answer: Answer }) {
  if ('error' in answer)
    return (
      <Callout compact intent="danger" icon="error">
        {answer.name}: not imported. {answer.error}
      </Callout>
    );
  const s = answer.summary;
  if (s.outcome === 'imported')
    return (
      <Callout compact intent="success" icon="tick">
        Imported {s.file}: {s.rows} rows as {s.format} (batch {s.batchId}).
      </Callout>
    );
  if (s.outcome === 'already_imported')
    return (
      <Callout compact intent="primary" icon="duplicate">
        Already imported: {s.file} is the same file as {s.previous?.fileName}
        {s.previous ? `, imported ${formatDateTime(s.previous.importedAt)}` : ''}. Nothing changed.
      </Callout>
    );
  return (
    <Callout compact intent="danger" icon="error">
      Rejected {s.file}: {s.problems.length + s.moreProblems} problem(s); nothing was stored.
      <HTMLTable compact aria-label={`Problems in ${s.file}`} className="ld-recon-problems">
        <thead>
          <tr>
            <th scope="col" className="ld-num">
              Row
            </th>
            <th scope="col">Column</th>
            <th scope="col">Problem</th>
          </tr>
        </thead>
        <tbody>
          {s.problems.map((p, i) => (
            <tr key={i}>
              <td className="ld-num">{p.row}</td>
              <td>{p.column}</td>
              <td>{p.message}</td>
            </tr>
          ))}
        </tbody>
      </HTMLTable>
      {s.moreProblems > 0 && <p className="ld-small">…and {s.moreProblems} more.</p>}
    </Callout>
  );
}
