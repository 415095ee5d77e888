import { useEffect, useMemo, useRef, useState } from 'react';
import {
  Button,
  Callout,
  H2,
  KeyComboTag,
  NonIdealState,
  Spinner,
  Tag,
  useHotkeys,
  type HotkeyConfig,
} from '@blueprintjs/core';
import type { Returned } from '../../../../shared/api/work';
import type { LocalException } from '../../../../shared/exception';
import { EXCEPTION_TYPE_LABELS } from '../../../../shared/exception-types';
import type { Resolution } from '../../../../shared/resolution';
import { STATUS_LABELS } from '../../../../shared/exception-status';
import { call, describeError } from '../../bridge';
import { useWork } from '../../state/work';
import { hasNoteDraft } from '../../state/note-drafts';
import { RecordView } from '../queue/RecordView';
import { ChecklistPanel, type ChecklistPanelHandle } from './ChecklistPanel';
import { ResolutionForm, type ResolutionFormHandle } from './ResolutionForm';
import { SkipDialog } from './SkipDialog';
import { ItemContext } from './ItemContext';
import { ReturnedCallout } from './ReturnedCallout';
import { useChecklist, type SaveState } from './useChecklist';

const SAVE_LABEL: Record<SaveState, string> = {
  idle: 'No answers yet',
  saving: 'Saving…',
  saved: 'All answers saved on this computer',
  error: 'Not saved',
};

export const WORKSPACE_KEYS: readonly { combo: string; label: string }[] = [
  { combo: 'alt+n', label: 'next item' },
  { combo: 'alt+j', label: 'next step' },
  { combo: 'alt+k', label: 'previous step' },
  { combo: 'alt+r', label: 'resolution' },
  { combo: 'mod+enter', label: 'resolve' },
  { combo: 'alt+s', label: 'skip' },
  { combo: 'esc', label: 'back to queue' },
];

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
      setNotice(`${exception.id} skipped · back in the team queue`);
      await next();
    } catch (e) {
      setActionError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  const hotkeys = useMemo<HotkeyConfig[]>(
    () => [
      {
        combo: 'alt+j',
        label: 'Next step',
        group: 'Workspace',
        global: true,
        allowInInput: true,
        preventDefault: true,
        onKeyDown: () => {
          if (!panel.current?.move(1)) form.current?.focus();
        },
      },
      {
        combo: 'alt+k',
        label: 'Previous step',
        group: 'Workspace',
        global: true,
        allowInInput: true,
        preventDefault: true,
        onKeyDown: () => void panel.current?.move(-1),
      },
      {
        combo: 'alt+r',
        label: 'Go to the resolution',
        group: 'Workspace',
        global: true,
        allowInInput: true,
        preventDefault: true,
        onKeyDown: () => form.current?.focus(),
      },
      {
        combo: 'mod+enter',
        label: 'Resolve',
        group: 'Workspace',
        global: true,
        allowInInput: true,
        preventDefault: true,
        onKeyDown: () => form.current?.submit(),
      },
      {
        combo: 'alt+s',
        label: 'Skip with a reason',
        group: 'Workspace',
        global: true,
        allowInInput: true,
        preventDefault: true,
        onKeyDown: () => setSkipping(true),
      },
    ],
    [],
  );
  const { handleKeyDown, handleKeyUp } = useHotkeys(hotkeys);

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
          <Tag minimal round>
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
          Skip <KeyComboTag combo="alt+s" minimal />
        </Button>
      </header>
      <div className="ld-workspace-body">
        <div className="ld-workspace-record">
          <RecordView record={exception} />
          <ItemContext exceptionId={exception.id} />
        </div>
        <div className="ld-workspace-checklist">
          {returned && <ReturnedCallout returned={returned} />}
          {model.loading && <NonIdealState icon={<Spinner size={24} aria-label="Loading the checklist" />} />}
          {model.loadError && (
            <Callout intent="danger" title="Could not open the checklist" role="alert">
              {model.loadError}
            </Callout>
          )}
          {!model.loading && !model.loadError && !model.module && (
            <Callout intent="warning" title="No SOP on this computer yet" role="alert">
              The SOP modules download on the next sync. Connect and sync, then open the item again.
            </Callout>
          )}
          {model.module && model.state && (
            <>
              <div className="ld-sop-head">
                <span className="ld-sop-title">{model.module.title}</span>
                <Tag minimal>v{model.module.version}</Tag>
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
                <Callout compact intent="danger" role="alert" title="Not resolved">
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
        {WORKSPACE_KEYS.map((k) => (
          <span key={k.combo} className="ld-key-hint">
            <KeyComboTag combo={k.combo} minimal /> {k.label}
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
