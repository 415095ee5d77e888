import { forwardRef, useEffect, useImperativeHandle, useMemo, useRef, useState } from 'react';
import { Button, Callout, FormGroup, H3, HTMLSelect, InputGroup, Tag, TextArea } from '@blueprintjs/core';
import { CalloutTitle } from '../../components/CalloutTitle';
import type { ChecklistException, ChecklistState } from '@shared/sop/engine';
import { needsApproval } from '@shared/sop/engine';
import type { SopModule } from '@shared/sop/module';
import {
  resolutionSchema,
  type Resolution,
  type ResolutionAction,
  type ResolutionCode,
} from '@shared/resolution';
import type { ResolutionDraft } from '@shared/ipc/channels';
import { amountProblem, movesMoney, settledAmount } from '@shared/resolution-amount';
import { ACTION_LABELS } from '../../lib/labels';
import { formatAmount } from '../../lib/money-format';
import { DateField } from '../../components/DateField';
import { resolutionProblems, type ResolutionField } from './resolution-problems';
import { CommandKey } from '../../commands/CommandKey';

export interface ResolutionFormHandle {
  focus(): void;
  submit(): void;
}

interface Props {
  module: SopModule;
  state: ChecklistState;
  exception: ChecklistException;
  busy: boolean;
  /** The form as the operator left it (restored after a restart or a crash). */
  draft: ResolutionDraft | null;
  onDraftChange(draft: ResolutionDraft): void;
  onResolve(resolution: Resolution): void;
}

const FIELD_ORDER: readonly ResolutionField[] = ['code', 'action', 'amount', 'followUpDate', 'note'];
const FIELD_IDS: Readonly<Record<ResolutionField, string>> = {
  code: 'resolution-code',
  action: 'resolution-action',
  amount: 'resolution-amount',
  followUpDate: 'resolution-follow-up',
  note: 'resolution-note',
};

/** A field's problem as its helper text, with an id the control points at (aria-describedby). */
function fieldMessage(field: ResolutionField, text: string | null | undefined) {
  if (!text) return undefined;
  return (
    <span id={`${FIELD_IDS[field]}-problem`} data-problem={field} className="ld-field-problem">
      {text}
    </span>
  );
}

/** The resolution: a code the SOP offers for these answers, its action, and what the action needs. */
export const ResolutionForm = forwardRef<ResolutionFormHandle, Props>(function ResolutionForm(
  { module, state, exception, busy, draft, onDraftChange, onResolve },
  ref,
) {
  // A draft holds what was typed; anything the form would not offer is cleared just below.
  const [code, setCode] = useState<ResolutionCode | ''>((draft?.code ?? '') as ResolutionCode | '');
  const [action, setAction] = useState<ResolutionAction | ''>((draft?.action ?? '') as ResolutionAction | '');
  const [amount, setAmount] = useState(draft?.amount ?? '');
  const [followUp, setFollowUp] = useState(draft?.followUp ?? '');
  const [note, setNote] = useState(draft?.note ?? '');
  const [error, setError] = useState<string | null>(null);
  // Field messages show once the operator has tried to resolve, and are worked out from the
  // fields as they are now: a fixed field's message goes as soon as it is fixed.
  const [tried, setTried] = useState(false);
  const [followUpUnreadable, setFollowUpUnreadable] = useState(false);
  const codeRef = useRef<HTMLSelectElement>(null);
  const rootRef = useRef<HTMLElement>(null);

  const offered = state.resolutions;
  const rule = offered.find((r) => r.code === code);
  // A code the answers no longer allow drops out of the form rather than being sent and refused.
  useEffect(() => {
    if (code && !rule) setCode('');
  }, [code, rule]);
  useEffect(() => {
    if (action && rule && !rule.actions.includes(action)) setAction('');
  }, [action, rule]);

  // Every change of a field is autosaved (after a short pause); the first render is what was
  // loaded. The callback is read from a ref: a new one must not count as a change.
  const loaded = useRef(true);
  const draftChanged = useRef(onDraftChange);
  draftChanged.current = onDraftChange;
  useEffect(() => {
    if (loaded.current) {
      loaded.current = false;
      return;
    }
    draftChanged.current({ code, action, amount, followUp, note });
  }, [code, action, amount, followUp, note]);

  const variance = exception.variance;
  const currency = variance.currency;
  const moves = action !== '' && movesMoney(action);
  // A write-off closes the whole variance: its amount is the variance, never typed.
  const sentAmount = action === 'write_off' ? variance.amount : amount.trim();
  const resolution = useMemo(
    () => ({
      code,
      action,
      note,
      amount: moves && sentAmount ? { amount: sentAmount, currency } : null,
      followUpDate: action === 'pending_partner' && followUp ? followUp : null,
    }),
    [code, action, note, moves, sentAmount, currency, followUp],
  );
  // The same rule the desk and the server apply, shown as the operator types.
  const amountIssue =
    action !== '' && resolution.amount
      ? amountProblem({ action, amount: resolution.amount }, variance)
      : null;
  const problems = tried
    ? resolutionProblems(resolution, { amountIssue, followUpUnreadable, needsAmount: moves })
    : {};
  const problem = (field: ResolutionField): string | undefined => problems[field];
  // Whether a lead must approve depends on the amount: say nothing until there is one.
  const approval =
    code &&
    action &&
    (!moves || resolution.amount) &&
    !amountIssue &&
    needsApproval(module, {
      code,
      action,
      amount: settledAmount({ action, amount: resolution.amount }, variance),
    });

  const chooseAction = (next: ResolutionAction | ''): void => {
    setAction(next);
    // A credit or a rebill usually settles the whole variance: start from it, sign and all.
    if (next !== '' && next !== 'write_off' && movesMoney(next) && !amount.trim()) setAmount(variance.amount);
  };

  const submit = (): void => {
    if (busy) return;
    if (!state.complete) {
      setError('Finish the checklist first (see what is missing above).');
      return;
    }
    setError(null);
    setTried(true);
    const found = resolutionProblems(resolution, { amountIssue, followUpUnreadable, needsAmount: moves });
    const first = FIELD_ORDER.find((f) => found[f]);
    if (first) {
      // The first field to fix gets the focus, which also scrolls it (and its message) into view.
      rootRef.current?.querySelector<HTMLElement>(`#${FIELD_IDS[first]}`)?.focus();
      return;
    }
    const parsed = resolutionSchema.safeParse(resolution);
    if (!parsed.success) {
      setError('Something in the resolution is not valid; check the fields above.');
      return;
    }
    onResolve(parsed.data);
  };

  useImperativeHandle(ref, () => ({ focus: () => codeRef.current?.focus(), submit }));

  return (
    <section ref={rootRef} className="ld-resolution" aria-labelledby="resolution-h">
      <H3 id="resolution-h" className="ld-section-h">
        Resolution
      </H3>
      {state.blockers.length > 0 && (
        <Callout compact intent="primary" icon="info-sign" className="ld-blockers">
          <CalloutTitle>Not ready to resolve</CalloutTitle>
          <ul>
            {state.blockers.map((b) => (
              <li key={b}>{b}</li>
            ))}
          </ul>
        </Callout>
      )}
      <div className="ld-resolution-row">
        <FormGroup
          label="Code"
          labelFor="resolution-code"
          intent={problem('code') ? 'danger' : 'none'}
          helperText={fieldMessage('code', problem('code'))}
        >
          <HTMLSelect
            id="resolution-code"
            ref={codeRef}
            value={code}
            aria-invalid={problem('code') ? true : undefined}
            aria-describedby={problem('code') ? 'resolution-code-problem' : undefined}
            onChange={(e) => setCode(e.currentTarget.value as ResolutionCode | '')}
          >
            <option value="">Choose a code…</option>
            {offered.map((r) => (
              <option key={r.code} value={r.code}>
                {r.code} · {r.label}
              </option>
            ))}
          </HTMLSelect>
        </FormGroup>
        <FormGroup
          label="Action"
          labelFor="resolution-action"
          intent={problem('action') ? 'danger' : 'none'}
          helperText={fieldMessage('action', problem('action'))}
        >
          <HTMLSelect
            id="resolution-action"
            value={action}
            aria-invalid={problem('action') ? true : undefined}
            aria-describedby={problem('action') ? 'resolution-action-problem' : undefined}
            disabled={!rule}
            onChange={(e) => chooseAction(e.currentTarget.value as ResolutionAction | '')}
          >
            <option value="">Choose an action…</option>
            {(rule?.actions ?? []).map((a) => (
              <option key={a} value={a}>
                {ACTION_LABELS[a]}
              </option>
            ))}
          </HTMLSelect>
        </FormGroup>
        {moves && (
          <FormGroup
            label="Amount"
            labelFor="resolution-amount"
            intent={amountIssue || problem('amount') ? 'danger' : 'none'}
            helperText={
              (amountIssue ?? problem('amount'))
                ? fieldMessage('amount', amountIssue ?? problem('amount'))
                : action === 'write_off'
                  ? `A write-off closes the whole variance (${formatAmount(variance)}).`
                  : `Part or all of the variance (${formatAmount(variance)}), with its sign.`
            }
          >
            <InputGroup
              id="resolution-amount"
              inputMode="decimal"
              autoComplete="off"
              value={action === 'write_off' ? variance.amount : amount}
              readOnly={action === 'write_off'}
              intent={amountIssue || problem('amount') ? 'danger' : 'none'}
              aria-invalid={amountIssue || problem('amount') ? true : undefined}
              rightElement={<Tag minimal>{currency}</Tag>}
              onValueChange={setAmount}
            />
          </FormGroup>
        )}
        {action === 'pending_partner' && (
          <FormGroup
            label="Follow up on"
            labelFor="resolution-follow-up"
            intent={problem('followUpDate') ? 'danger' : 'none'}
            helperText={fieldMessage('followUpDate', problem('followUpDate'))}
          >
            <DateField
              id="resolution-follow-up"
              value={followUp}
              intent={problem('followUpDate') ? 'danger' : 'none'}
              onChange={setFollowUp}
              onValidityChange={setFollowUpUnreadable}
            />
          </FormGroup>
        )}
      </div>
      <FormGroup
        label="Note"
        labelFor="resolution-note"
        intent={problem('note') ? 'danger' : 'none'}
        helperText={
          problem('note')
            ? fieldMessage('note', problem('note'))
            : 'What you did and why; QA and leads read it.'
        }
      >
        <TextArea
          id="resolution-note"
          fill
          rows={2}
          intent={problem('note') ? 'danger' : 'none'}
          aria-invalid={problem('note') ? true : undefined}
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
        />
      </FormGroup>
      {approval && (
        <Callout compact intent="warning" icon="people">
          Above this SOP&apos;s threshold: a lead must approve it before it takes effect.
        </Callout>
      )}
      {error && (
        <Callout compact intent="danger" role="alert">
          {error}
        </Callout>
      )}
      <div className="ld-resolution-actions">
        <Button intent="primary" icon="tick" loading={busy} onClick={submit} disabled={!state.complete}>
          Resolve <CommandKey id="workspace.resolve" />
        </Button>
      </div>
    </section>
  );
});
