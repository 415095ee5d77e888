import { useEffect, useRef, useState } from 'react';
import { Button, Callout, H2, NonIdealState, Spinner, Tag } from '@blueprintjs/core';
import { CalloutTitle } from '../../components/CalloutTitle';
import type { Returned } from '@shared/api/work';
import type { LocalException } from '@shared/exception';
import { EXCEPTION_TYPE_LABELS } from '@shared/exception-types';
import type { Resolution } from '@shared/resolution';
import { STATUS_LABELS } from '@shared/exception-status';
import { call, describeError } from '../../bridge';
import { useWork } from './work-state';
import { hasNoteDraft } from '../../exception-views/note-drafts';
import { RecordView } from '../../exception-views/RecordView';
import { ChecklistPanel, type ChecklistPanelHandle } from './ChecklistPanel';
import { ResolutionForm, type ResolutionFormHandle } from './ResolutionForm';
import { SkipDialog } from './SkipDialog';
import { ItemContext } from './ItemContext';
import { ReturnedCallout } from './ReturnedCallout';
import { ReworkFindings } from '../qa/ReworkFindings';
import { useChecklist, type SaveState } from './useChecklist';
import { WORKSPACE_HINTS } from '../../commands/commands';
import { useCommands } from '../../commands/useCommands';
import { CommandKey } from '../../commands/CommandKey';

const SAVE_LABEL: Record<SaveState, string> = {
  idle: 'No answers yet',
  saving: 'Saving…',
  saved: 'All answers saved on this computer',
  error: 'Not saved',
};

/** Working one item: the exception on the left, its SOP checklist and resolution on the right. */
export function WorkspaceScreen({
  exception,
  returned = null,
}: {
  exception: LocalException;
  /** Why a lead sent this item back to the operator (from the lease get-next granted), if they did. */
  returned?: Returned | null;
}) {
  const model = useChecklist(exception);
  const next = useWork((s) => s.next);
  const close = useWork((s) => s.close);
  const setNotice = useWork((s) => s.setNotice);
  const remaining = useWork((s) => s.remaining);
  const notice = useWork((s) => s.notice);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [skipping, setSkipping] = useState(false);
  const panel = useRef<ChecklistPanelHandle>(null);
  const root = useRef<HTMLElement>(null);
  // Each item opens with focus on the workspace itself: Alt+J then lands on step 1, and Esc works
  // even though the previous item's focused control is gone.
  useEffect(() => root.current?.focus(), []);
  const form = useRef<ResolutionFormHandle>(null);

  // Leaving never loses a typed note: it stays as the item's draft, and the operator is told.
  const leave = (): void => {
    if (hasNoteDraft(exception.id)) {
      setNotice(`Your unsent note on ${exception.id} is kept as a draft; open the item to finish it.`);
    }
    close();
  };

  const resolve = async (resolution: Resolution): Promise<void> => {
    setBusy(true);
    setActionError(null);
    try {
      await model.flush();
      const result = await call('exception.resolve', { exceptionId: exception.id, resolution });
      const status = result.exception?.status;
      setNotice(
        `${exception.id} ${status === 'pending_approval' ? 'is waiting for a lead to approve' : `${STATUS_LABELS[status ?? 'resolved'].toLowerCase()}`} · queued for sync`,
      );
      await next();
    } catch (e) {
      setActionError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  const skip = async (reason: string): Promise<void> => {
    setBusy(true);
    try {
      await model.flush();
      await call('exception.skip', { exceptionId: exception.id, reason });
      setSkipping(false);
      setNotice(
        `${exception.id} skipped · back in the team queue for another operator; not offered to you again for some hours`,
      );
      await next();
    } catch (e) {
      setActionError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  const { handleKeyDown, handleKeyUp } = useCommands({
    'workspace.nextStep': {
      perform: () => {
        if (!panel.current?.move(1)) form.current?.focus();
      },
    },
    'workspace.previousStep': { perform: () => void panel.current?.move(-1) },
    'workspace.resolution': { perform: () => form.current?.focus() },
    'workspace.resolve': { perform: () => form.current?.submit() },
    'workspace.skip': { perform: () => setSkipping(true) },
    // The thread sits below the evidence; the key saves a dozen Tabs to reach it.
    'workspace.note': { perform: () => document.getElementById('note-text')?.focus() },
  });

  return (
    <section
      ref={root}
      tabIndex={-1}
      className="ld-workspace"
      aria-label={`Working ${exception.id}`}
      onKeyDown={(e) => {
        handleKeyDown(e);
        if (e.key === 'Escape' && !skipping && !e.defaultPrevented) leave();
      }}
      onKeyUp={handleKeyUp}
    >
      <header className="ld-workspace-bar">
        <Button
          variant="minimal"
          size="small"
          icon="arrow-left"
          onClick={leave}
          aria-label="Back to the queue"
        />
        <H2 className="ld-workspace-title">
          <span className="ld-mono">{exception.id}</span>{' '}
          <span className="ld-muted">
            · {EXCEPTION_TYPE_LABELS[exception.type]} · {exception.customerName}
          </span>
        </H2>
        {notice && (
          <span className="ld-small ld-muted" role="status" aria-live="polite" data-testid="work-notice">
            {notice}
          </span>
        )}
        {remaining !== null && (
          <Tag
            minimal
            round
            title={`${remaining} more ${remaining === 1 ? 'item is' : 'items are'} leased to you on this computer, ready to work offline; Alt+N takes the next`}
          >
            {remaining} in hand
          </Tag>
        )}
        <span
          className={`ld-small ${model.saveState === 'error' ? 'ld-error-text' : 'ld-muted'}`}
          role="status"
          data-testid="save-state"
          data-state={model.saveState}
        >
          {SAVE_LABEL[model.saveState]}
        </span>
        <Button size="small" icon="step-forward" onClick={() => setSkipping(true)}>
          Skip <CommandKey id="workspace.skip" />
        </Button>
      </header>
      <div className="ld-workspace-body">
        <div className="ld-workspace-record">
          <RecordView record={exception} />
          <ItemContext exceptionId={exception.id} />
        </div>
        <div className="ld-workspace-checklist">
          {returned && <ReturnedCallout returned={returned} />}
          {returned && <ReworkFindings exceptionId={exception.id} />}
          {model.loading && <NonIdealState icon={<Spinner size={24} aria-label="Loading the checklist" />} />}
          {model.loadError && (
            <Callout intent="danger" role="alert">
              <CalloutTitle>Could not open the checklist</CalloutTitle>
              {model.loadError}
            </Callout>
          )}
          {!model.loading && !model.loadError && !model.module && (
            <Callout intent="warning" role="alert">
              <CalloutTitle>No SOP on this computer yet</CalloutTitle>
              The SOP modules download on the next sync. Connect and sync, then open the item again.
            </Callout>
          )}
          {model.module && model.state && (
            <>
              <div className="ld-sop-head">
                <span className="ld-sop-title">{model.module.title}</span>
                <Tag
                  minimal
                  title={`SOP module version ${model.module.version}: the version this item is checked against`}
                >
                  v{model.module.version}
                </Tag>
                <span className="ld-muted ld-small">
                  {model.state.steps.filter((s) => s.visible && s.complete).length} of{' '}
                  {model.state.steps.filter((s) => s.visible).length} steps done
                </span>
              </div>
              {model.saveError && (
                <Callout compact intent="danger" role="alert">
                  Your last answer is not saved yet: {model.saveError}
                </Callout>
              )}
              <ChecklistPanel ref={panel} model={model} exception={exception} />
              {actionError && (
                <Callout compact intent="danger" role="alert">
                  <CalloutTitle>Not resolved</CalloutTitle>
                  {actionError}
                </Callout>
              )}
              <ResolutionForm
                ref={form}
                module={model.module}
                state={model.state}
                exception={exception}
                busy={busy}
                draft={model.resolutionDraft}
                onDraftChange={model.setResolutionDraft}
                onResolve={(r) => void resolve(r)}
              />
            </>
          )}
        </div>
      </div>
      <footer className="ld-workspace-keys" aria-label="Keyboard shortcuts">
        {WORKSPACE_HINTS.map((k) => (
          <span key={k.combo} className="ld-key-hint">
            <CommandKey id={k.id} /> {k.hint}
          </span>
        ))}
      </footer>
      <SkipDialog
        isOpen={skipping}
        exceptionId={exception.id}
        busy={busy}
        onCancel={() => setSkipping(false)}
        onSkip={(reason) => void skip(reason)}
      />
    </section>
  );
}
