import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { Button, Callout, Classes, Drawer, H2, Icon, NonIdealState, Spinner } from '@blueprintjs/core';
import { CalloutTitle } from '../components/CalloutTitle';
import type { LocalException } from '@shared/exception';
import { EXCEPTION_TYPE_LABELS } from '@shared/exception-types';
import { describeError } from '../bridge';
import { arrivedRecord, forgetRecord, prefetchRecord } from './record-prefetch';
import { RecordView } from './RecordView';
import { ExceptionHistory } from './ExceptionHistory';
import { useSession } from '../state/session';
import { isSupervisorRole } from '../features/team/team-state';
import { NO_TRANSITION } from '../lib/overlay';
import { NotesThread } from './NotesThread';

/** The last answer, tagged with the id it answers; anything else for the open id means "loading". */
type Loaded =
  { id: string; state: 'error'; message: string } | { id: string; state: 'ready'; record: LocalException };

interface Props {
  id: string | null;
  onClose(): void;
  onClosed(): void;
}

export function ExceptionDrawer({ id, onClose, onClosed }: Props) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  // Prefetched while the row had focus: render it now rather than a frame after a spinner.
  const early = id && loaded?.id !== id ? arrivedRecord(id) : undefined;
  const isLead = useSession((s) => isSupervisorRole(s.session?.user.roles));
  const isOperator = useSession((s) => s.session?.user.roles.includes('operator') ?? false);
  const userId = useSession((s) => s.session?.user.id ?? null);

  useEffect(() => {
    if (!id) return;
    let cancelled = false;
    prefetchRecord(id)
      .then((record) => {
        if (!cancelled) setLoaded({ id, state: 'ready', record });
      })
      .catch((e: unknown) => {
        if (!cancelled) setLoaded({ id, state: 'error', message: describeError(e) });
      });
    return () => {
      cancelled = true;
      // Next time the item opens it is read again: it may have changed while open.
      forgetRecord(id);
    };
  }, [id]);

  const current: Loaded | null =
    loaded && loaded.id === id ? loaded : early && id ? { id, state: 'ready', record: early } : null;
  const record = current?.state === 'ready' ? current.record : null;

  // Where focus was when the drawer opened (a queue row, the inbox's open button), taken before
  // the drawer moves it inside.
  const isOpen = id !== null;
  const opener = useRef<HTMLElement | null>(null);
  useLayoutEffect(() => {
    if (!isOpen) return;
    const active = document.activeElement;
    opener.current = active instanceof HTMLElement && !active.closest('.ld-drawer') ? active : null;
  }, [isOpen]);
  // Focus goes back where it was once the drawer has closed, unless the person already moved it:
  // a key pressed right after Esc (T for the type filter) acts while the drawer is still leaving,
  // and Blueprint's own hand-back a moment later took that focus away again.
  const closed = (): void => {
    const active = document.activeElement;
    const unclaimed =
      !active || active === document.body || !active.isConnected || active.closest('.ld-drawer') !== null;
    if (!unclaimed) return;
    if (opener.current?.isConnected) opener.current.focus();
    onClosed();
  };

  // Blueprint's Drawer renders no dialog role, so the content carries it (labelled by the title).
  return (
    <Drawer
      isOpen={isOpen}
      onClose={onClose}
      onClosed={closed}
      shouldReturnFocusOnClose={false}
      // Blueprint focuses its own container, outside the element that carries role=dialog: put
      // focus inside the dialog, so a screen reader and the keyboard start in it.
      onOpened={(el) => el.querySelector<HTMLElement>('.ld-drawer-inner')?.focus()}
      size="min(980px, 72%)"
      position="right"
      className="ld-drawer"
      canOutsideClickClose
      {...NO_TRANSITION}
    >
      <div
        className="ld-drawer-inner"
        tabIndex={-1}
        role="dialog"
        aria-modal="true"
        aria-labelledby="exception-drawer-title"
      >
        <div className={Classes.DRAWER_HEADER}>
          <Icon icon="document" size={16} />
          <H2 id="exception-drawer-title" className="ld-drawer-title">
            <span className="ld-mono">{id}</span>
            {record && <span className="ld-muted"> · {EXCEPTION_TYPE_LABELS[record.type]}</span>}
          </H2>
          <Button
            aria-label="Close"
            className={Classes.DIALOG_CLOSE_BUTTON}
            icon="cross"
            variant="minimal"
            onClick={onClose}
          />
        </div>
        <div className={`${Classes.DRAWER_BODY} ld-drawer-body`} data-testid="exception-drawer">
          {id && !current && (
            <NonIdealState icon={<Spinner size={24} aria-label="Loading exception" />} title="Loading…" />
          )}
          {current?.state === 'error' && (
            <Callout intent="danger" role="alert">
              <CalloutTitle>{`Could not open ${id ?? ''}`}</CalloutTitle>
              {current.message}
            </Callout>
          )}
          {record && <RecordView record={record} />}
          {record && (
            <NotesThread
              key={record.id}
              exceptionId={record.id}
              // The server takes a note from the item's holder or a lead; others read the thread.
              canAdd={isLead || (isOperator && record.assigneeId === userId)}
              idPrefix="drawer-notes"
            />
          )}
          {record && isLead && <ExceptionHistory id={record.id} />}
        </div>
        <div className={Classes.DRAWER_FOOTER}>
          <span className="ld-muted ld-small">
            <kbd>Esc</kbd> closes
            {isOperator && (
              <>
                {' '}
                · work an item with <kbd>Alt</kbd>+<kbd>N</kbd> (get next) to follow its SOP checklist
              </>
            )}
          </span>
        </div>
      </div>
    </Drawer>
  );
}
