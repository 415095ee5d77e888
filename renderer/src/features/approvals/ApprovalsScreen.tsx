import { useCallback, useEffect, useRef, useState } from 'react';
import {
  Alert,
  Button,
  Callout,
  FormGroup,
  H2,
  HTMLTable,
  NonIdealState,
  Spinner,
  Tag,
  TextArea,
} from '@blueprintjs/core';
import { CalloutTitle } from '../../components/CalloutTitle';
import type { Approval } from '@shared/api/approvals';
import { EXCEPTION_TYPE_LABELS } from '@shared/exception-types';
import { formatAmount } from '../../lib/money-format';
import { RESOLUTION_CODES } from '@shared/resolution';
import { call, describeError } from '../../bridge';
import { SelectableRow } from '../../components/SelectableRow';
import { AnswersView } from '../../exception-views/AnswersView';
import { useSession } from '../../state/session';
import { formatDateTime, formatDuration } from '../../lib/format';
import { ACTION_LABELS } from '../../lib/labels';
import { NotesThread } from '../../exception-views/NotesThread';
import { ExceptionDrawer } from '../../exception-views/ExceptionDrawer';
import { NO_TRANSITION } from '../../lib/overlay';
import { useSopModule } from '../../lib/useSopModule';

/**
 * Leads' inbox of resolutions above their SOP threshold (write-offs, mostly). Decisions go
 * straight to the server: an approval is a control, never queued offline. Nobody decides their own.
 */
export function ApprovalsScreen() {
  const me = useSession((s) => s.session?.user.id);
  const [approvals, setApprovals] = useState<Approval[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [opened, setOpened] = useState<string | null>(null);

  const load = useCallback(() => {
    call('approvals.list', { state: 'pending' })
      .then((r) => {
        setApprovals(r.approvals);
        setError(null);
        setSelected((s) => (s && r.approvals.some((a) => a.id === s) ? s : (r.approvals[0]?.id ?? null)));
      })
      .catch((e: unknown) => setError(describeError(e)));
  }, []);
  useEffect(load, [load]);

  // After a decision the decided row leaves the list: focus goes to the request now selected
  // (the next one), or to the list's heading when none is left, never to the page.
  const list = useRef<HTMLDivElement>(null);
  const focusAfterLoad = useRef(false);
  const decided = useCallback(() => {
    focusAfterLoad.current = true;
    load();
  }, [load]);
  useEffect(() => {
    if (!focusAfterLoad.current || !approvals) return;
    focusAfterLoad.current = false;
    const row = list.current?.querySelector<HTMLElement>('tr[aria-selected="true"]');
    (row ?? list.current?.querySelector<HTMLElement>('h2'))?.focus();
  }, [approvals]);

  const current = approvals?.find((a) => a.id === selected) ?? null;

  return (
    <section className="ld-approvals" aria-label="Approvals inbox">
      <div className="ld-approvals-list" ref={list}>
        <div className="ld-approvals-head">
          {/* h2 under the shell's h1 (the screen's name): heading levels go down one at a time. */}
          <H2 className="ld-section-h" tabIndex={-1}>
            Waiting for approval
          </H2>
          <Button
            size="small"
            variant="minimal"
            icon="refresh"
            aria-label="Refresh approvals"
            onClick={load}
          />
        </div>
        <div role="status" data-testid="approval-notice">
          {done && (
            <Callout compact intent="success" icon="tick">
              {done}
            </Callout>
          )}
        </div>
        {error && (
          <Callout intent="warning" role="alert">
            <CalloutTitle>Approvals need the server</CalloutTitle>
            {error}
          </Callout>
        )}
        {!approvals && !error && (
          <NonIdealState icon={<Spinner size={24} aria-label="Loading approvals" />} />
        )}
        {approvals && approvals.length === 0 && (
          <NonIdealState
            icon="tick-circle"
            title="Nothing waiting"
            description="No resolution needs your approval."
          />
        )}
        {approvals && approvals.length > 0 && (
          <HTMLTable compact interactive className="ld-approvals-table" aria-label="Pending approvals">
            <thead>
              <tr>
                <th scope="col">Exception</th>
                <th scope="col">Action</th>
                <th scope="col" className="ld-num">
                  Amount
                </th>
                <th scope="col">Operator</th>
                <th scope="col">Requested</th>
              </tr>
            </thead>
            <tbody>
              {approvals.map((a) => (
                <SelectableRow key={a.id} selected={a.id === selected} onSelect={() => setSelected(a.id)}>
                  <td className="ld-mono">{a.exception.id}</td>
                  <td>{ACTION_LABELS[a.resolution.action]}</td>
                  <td className="ld-mono ld-num">
                    {a.resolution.amount ? formatAmount(a.resolution.amount) : '—'}
                  </td>
                  <td>
                    {a.requestedByName}
                    {a.requestedBy === me && <Tag minimal> you</Tag>}
                  </td>
                  <td>{formatDateTime(a.requestedAt)}</td>
                </SelectableRow>
              ))}
            </tbody>
          </HTMLTable>
        )}
      </div>
      <div className="ld-approvals-detail">
        {current ? (
          <ApprovalDetail
            key={current.id}
            approval={current}
            mine={current.requestedBy === me}
            onOpen={() => setOpened(current.exception.id)}
            onDecided={(message) => {
              setDone(message);
              decided();
            }}
          />
        ) : (
          approvals && approvals.length > 0 && <NonIdealState icon="select" title="Choose an approval" />
        )}
      </div>
      <ExceptionDrawer id={opened} onClose={() => setOpened(null)} onClosed={() => undefined} />
    </section>
  );
}

function ApprovalDetail({
  approval: a,
  mine,
  onOpen,
  onDecided,
}: {
  approval: Approval;
  mine: boolean;
  onOpen(): void;
  onDecided(message: string): void;
}) {
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  // The labels the operator saw come from the module version they followed (synced with the rest).
  const module = useSopModule(a.checklist.sop);
  const what = `${ACTION_LABELS[a.resolution.action]}${a.resolution.amount ? ` of ${formatAmount(a.resolution.amount)}` : ''}`;
  const decide = async (decision: 'approve' | 'reject'): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await call('approvals.decide', { id: a.id, decision, comment });
      onDecided(
        decision === 'approve'
          ? `Approved: ${a.exception.id} is resolved (${what}).`
          : `Rejected: ${a.exception.id} went back to ${a.requestedByName} with your reason.`,
      );
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <article aria-labelledby="approval-h" className="ld-approval">
      <H2 id="approval-h" className="ld-approval-h">
        <span className="ld-mono">{a.exception.id}</span>{' '}
        <span className="ld-muted">
          · {EXCEPTION_TYPE_LABELS[a.exception.type]} · {a.exception.customerName}
        </span>
      </H2>
      <dl className="ld-fields">
        <div className="ld-field">
          <dt>Resolution</dt>
          {/* Cut to the column on screen; the whole code name on hover. */}
          <dd title={`${a.resolution.code} · ${RESOLUTION_CODES[a.resolution.code]}`}>
            {a.resolution.code} · {RESOLUTION_CODES[a.resolution.code]}
          </dd>
        </div>
        <div className="ld-field">
          <dt>Action</dt>
          <dd>{ACTION_LABELS[a.resolution.action]}</dd>
        </div>
        <div className="ld-field">
          <dt>Amount</dt>
          <dd className="ld-mono">{a.resolution.amount ? formatAmount(a.resolution.amount) : '—'}</dd>
        </div>
        <div className="ld-field">
          <dt>Variance</dt>
          <dd className="ld-mono">{formatAmount(a.exception.variance)}</dd>
        </div>
        <div className="ld-field">
          <dt>SOP followed</dt>
          <dd>
            {module?.title ?? a.checklist.sop.moduleId}{' '}
            <span title={`SOP module version ${a.checklist.sop.version}, the one the operator followed`}>
              v{a.checklist.sop.version}
            </span>
          </dd>
        </div>
        <div className="ld-field">
          <dt>Handle time</dt>
          <dd>{formatDuration(a.checklist.handle.activeMs)}</dd>
        </div>
        <div className="ld-field">
          <dt>Operator</dt>
          <dd>{a.requestedByName}</dd>
        </div>
      </dl>
      <FormGroup label="Operator's note">
        <p className="ld-approval-note">{a.resolution.note}</p>
      </FormGroup>
      <AnswersView module={module} answers={a.checklist.answers} testId="approval-answers" />
      <Button size="small" icon="document-open" onClick={onOpen}>
        Open the item (evidence, notes, history)
      </Button>
      <NotesThread
        key={a.exception.id}
        exceptionId={a.exception.id}
        canAdd={false}
        idPrefix="approval-notes"
      />
      {mine ? (
        <Callout intent="warning" icon="blocked-person" role="note">
          You requested this resolution, so another lead must decide it.
        </Callout>
      ) : (
        <>
          <FormGroup
            label="Comment"
            labelFor="approval-comment"
            helperText="Required to reject; the operator sees it."
          >
            <TextArea
              id="approval-comment"
              fill
              rows={2}
              value={comment}
              onChange={(e) => setComment(e.currentTarget.value)}
            />
          </FormGroup>
          {error && (
            <Callout compact intent="danger" role="alert">
              {error}
            </Callout>
          )}
          <div className="ld-approval-actions">
            <Button intent="success" icon="tick" loading={busy} onClick={() => setConfirming(true)}>
              Approve
            </Button>
            <Button
              intent="danger"
              icon="cross"
              disabled={busy || comment.trim().length < 3}
              onClick={() => void decide('reject')}
            >
              Reject
            </Button>
          </div>
          <Alert
            {...NO_TRANSITION}
            isOpen={confirming}
            intent="success"
            icon="tick"
            confirmButtonText="Approve"
            cancelButtonText="Not yet"
            canEscapeKeyCancel
            // Focus starts on the confirming button (Blueprint leaves it on the page behind).
            onOpened={(el) => el.querySelector<HTMLElement>('.bp6-alert-footer .bp6-button')?.focus()}
            onCancel={() => setConfirming(false)}
            onConfirm={() => {
              setConfirming(false);
              void decide('approve');
            }}
          >
            <p>
              Approve {what} on {a.exception.id}? The item becomes resolved; this cannot be undone here.
            </p>
          </Alert>
        </>
      )}
    </article>
  );
}
