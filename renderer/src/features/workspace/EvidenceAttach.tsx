import { Button, Callout, FormGroup } from '@blueprintjs/core';
import { useRef, useState, type DragEvent, type ReactNode } from 'react';
import { EVIDENCE_MAX_BYTES, EVIDENCE_TYPES } from '@shared/evidence/file-type';
import type { AttachmentRef, SopField } from '@shared/sop/module';
import { call, describeError } from '../../bridge';
import { formatBytes, saveEvidence, toBase64 } from '../../lib/evidence-file';

type FileField = Extract<SopField, { type: 'file' }>;

interface Props {
  field: FileField;
  files: readonly AttachmentRef[];
  label: ReactNode;
  problem: string | null;
  onChange(files: AttachmentRef[] | undefined): void;
}

/**
 * A file answer: pick (button, Enter/Space) or drop files. Each is checked and kept on this
 * computer by the main process (size, type by content), so it works offline and uploads with
 * the result; until then it can be removed or saved back from the local copy.
 */
export function EvidenceAttach({ field, files, label, problem, onChange }: Props) {
  const inputRef = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const limit = Math.min(field.maxBytes, EVIDENCE_MAX_BYTES);
  const id = `field-${field.id}`;
  const kinds = field.accept.map((t) =>
    t in EVIDENCE_TYPES ? EVIDENCE_TYPES[t as keyof typeof EVIDENCE_TYPES] : t,
  );
  const hint = `${kinds.join(', ').toUpperCase()} · up to ${formatBytes(limit)}${field.maxFiles > 1 ? ` · ${field.maxFiles} files` : ''}`;

  async function attach(list: readonly File[]): Promise<void> {
    setError(null);
    const room = field.maxFiles - files.length;
    if (list.length > room) {
      setError(`Attach at most ${field.maxFiles} file${field.maxFiles > 1 ? 's' : ''} here.`);
      return;
    }
    const added: AttachmentRef[] = [];
    setBusy(true);
    try {
      for (const file of list) {
        // Told before reading a byte: a large file is never sent over the bridge.
        if (file.size > limit) {
          setError(`${file.name} is ${formatBytes(file.size)}; the limit here is ${formatBytes(limit)}.`);
          return;
        }
        const ref = await call('evidence.attach', {
          name: file.name,
          declaredType: file.type,
          data: toBase64(await file.arrayBuffer()),
        });
        if (!field.accept.includes(ref.type)) {
          setError(`${ref.name} is a ${ref.type} file; this step accepts ${kinds.join(', ').toUpperCase()}.`);
          return;
        }
        added.push(ref);
      }
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
      if (added.length > 0) onChange([...files, ...added]);
    }
  }

  async function save(ref: AttachmentRef): Promise<void> {
    try {
      await saveEvidence(ref);
    } catch (e) {
      setError(describeError(e));
    }
  }

  const onDrop = (e: DragEvent<HTMLDivElement>): void => {
    e.preventDefault();
    setDragging(false);
    void attach([...e.dataTransfer.files]);
  };

  const message = error ?? problem;
  return (
    <FormGroup label={label} helperText={hint} intent={message ? 'danger' : 'none'}>
      <div
        className={`ld-evidence-drop${dragging ? ' ld-evidence-drop-active' : ''}`}
        data-testid={`evidence-drop-${field.id}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <Button
          id={id}
          aria-label={`Attach file: ${field.label}`}
          icon="paperclip"
          loading={busy}
          disabled={files.length >= field.maxFiles}
          onClick={() => inputRef.current?.click()}
        >
          Attach file
        </Button>
        <span className="ld-muted ld-small"> or drop it here</span>
        <input
          ref={inputRef}
          type="file"
          hidden
          tabIndex={-1}
          aria-hidden="true"
          data-testid={`evidence-input-${field.id}`}
          accept={field.accept.join(',')}
          multiple={field.maxFiles > 1}
          onChange={(e) => {
            const list = [...(e.currentTarget.files ?? [])];
            e.currentTarget.value = '';
            void attach(list);
          }}
        />
      </div>
      {message && (
        <Callout compact intent="danger" role="alert" className="ld-evidence-error">
          {message}
        </Callout>
      )}
      {files.length > 0 && (
        <ul className="ld-sop-files" aria-label={`Files attached to ${field.label}`}>
          {files.map((f) => (
            <li key={f.id} className="ld-small">
              {f.name} <span className="ld-muted">({formatBytes(f.size)})</span>
              {f.sha256 ? (
                <Button
                  minimal
                  small
                  icon="download"
                  aria-label={`Save ${f.name}`}
                  onClick={() => void save(f)}
                />
              ) : (
                <span className="ld-muted"> (name only: attach the file again)</span>
              )}
              <Button
                minimal
                small
                icon="cross"
                aria-label={`Remove ${f.name}`}
                onClick={() => {
                  const rest = files.filter((x) => x.id !== f.id);
                  onChange(rest.length ? rest : undefined);
                }}
              />
            </li>
          ))}
        </ul>
      )}
    </FormGroup>
  );
}
