import { useEffect, useState } from 'react';
import { Button, Callout, FormGroup, H3, Tag, TextArea } from '@blueprintjs/core';
import { useNoteDraft } from './note-drafts';
import type { ChannelOutput } from '@shared/ipc/channels';
import { call, describeError } from '../bridge';
import { formatDateTime } from '../lib/format';

type Thread = ChannelOutput<'exception.notes'>;

interface Props {
  exceptionId: string;
  /** Whether this user may add a note here (the holder, or a lead); QA and others read only. */
  canAdd: boolean;
  /** Distinguishes the ids when the workspace and a drawer could both show a thread. */
  idPrefix?: string;
}

/**
 * The item's notes as one thread (author, time, text), in the workspace and the drawer. A note
 * written here is in the thread at once and stays there, offline too; the tag says until the
 * server has it.
 */
export function NotesThread({ exceptionId, canAdd, idPrefix = 'notes' }: Props) {
  const [thread, setThread] = useState<{ id: string; value: Thread } | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  // What is typed lives outside this component: leaving the item (Esc) keeps it as a draft.
  const [text, setText] = useNoteDraft(exceptionId);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // Bumped after a note is added, so the thread is read again (with the new note's delivery).
  const [version, setVersion] = useState(0);

  // Callers key the thread by item, so a draft never carries over to another item.
  useEffect(() => {
    let cancelled = false;
    call('exception.notes', { exceptionId })
      .then((value) => {
        if (cancelled) return;
        setThread({ id: exceptionId, value });
        setLoadError(null);
      })
      .catch((e: unknown) => {
        if (!cancelled) setLoadError(describeError(e));
      });
    return () => {
      cancelled = true;
    };
  }, [exceptionId, version]);

  const add = async (): Promise<void> => {
    if (!text.trim() || busy) return;
    setBusy(true);
    try {
      await call('exception.addNote', { exceptionId, text });
      setText('');
      setError(null);
      setVersion((v) => v + 1);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  const current = thread?.id === exceptionId ? thread.value : null;
  const headingId = `${idPrefix}-h`;
  const fieldId = `${idPrefix}-text`;
  return (
    <section aria-labelledby={headingId} className="ld-notes" data-testid="notes-thread">
      <H3 id={headingId} className="ld-section-h">
        Notes {current && <span className="ld-muted ld-small">· {current.notes.length}</span>}
      </H3>
      {loadError && (
        <Callout compact intent="warning">
          {loadError}
        </Callout>
      )}
      {current?.offline && (
        <p className="ld-muted ld-small">
          The server cannot be reached: these are the notes on this computer; others added since are not shown
          yet.
        </p>
      )}
      {current && current.notes.length === 0 && <p className="ld-muted ld-small">No notes yet.</p>}
      {current && current.notes.length > 0 && (
        <ol className="ld-notes-list" aria-label="Notes on this item">
          {current.notes.map((n) => (
            <li key={n.id} className="ld-note">
              <div className="ld-note-meta ld-small">
                <strong>{n.authorName ?? 'A former user'}</strong>{' '}
                <span className="ld-muted">{formatDateTime(n.at)}</span>{' '}
                {n.delivery === 'sending' && (
                  <Tag minimal title="Kept on this computer; it goes to the server at the next sync.">
                    not synced yet
                  </Tag>
                )}
                {n.delivery === 'refused' && (
                  <Tag minimal intent="danger" title={n.problem ?? undefined}>
                    not accepted by the server{n.problem ? `: ${n.problem}` : ''}
                  </Tag>
                )}
              </div>
              <p className="ld-note-text">{n.text}</p>
            </li>
          ))}
        </ol>
      )}
      {canAdd && (
        <>
          <FormGroup
            label="Add a note for the team"
            labelFor={fieldId}
            helperText={
              text.trim()
                ? 'Not sent yet: kept as a draft if you leave the item. Ctrl+Shift+Enter adds it.'
                : 'Ctrl+Shift+Enter adds it.'
            }
          >
            <TextArea
              id={fieldId}
              fill
              rows={2}
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && e.ctrlKey && e.shiftKey) {
                  e.preventDefault();
                  e.stopPropagation();
                  void add();
                }
              }}
            />
          </FormGroup>
          {error && (
            <Callout compact intent="danger" role="alert">
              {error}
            </Callout>
          )}
          <Button
            size="small"
            icon="comment"
            disabled={!text.trim()}
            loading={busy}
            onClick={() => void add()}
          >
            Add note
          </Button>
        </>
      )}
    </section>
  );
}
