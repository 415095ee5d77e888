import { forwardRef, useImperativeHandle, useRef } from 'react';
import { Callout, Checkbox, H3, Icon, Tag } from '@blueprintjs/core';
import Markdown from 'react-markdown';
import remarkGfm from 'remark-gfm';
import type { ChecklistException, StepState } from '@shared/sop/engine';
import type { SopStep } from '@shared/sop/module';
import { FieldInput } from './FieldInput';
import type { ChecklistModel } from './useChecklist';

export interface ChecklistPanelHandle {
  /** Moves focus to the next (+1) or previous (-1) visible step; returns false at either end. */
  move(direction: 1 | -1): boolean;
  focusFirstOpen(): void;
}

interface Props {
  model: ChecklistModel;
  exception: ChecklistException;
}

const KIND_LABEL: Record<SopStep['kind'], string> = {
  check: 'Check',
  input: 'Record',
  decision: 'Decide',
  action: 'Act',
};

const FOCUSABLE = 'input:not([disabled]), textarea, select, button:not([disabled])';

/** The guided checklist: steps appear as their conditions allow; every change autosaves. */
export const ChecklistPanel = forwardRef<ChecklistPanelHandle, Props>(function ChecklistPanel(
  { model, exception },
  ref,
) {
  const container = useRef<HTMLOListElement>(null);
  const { module, state } = model;

  const sections = (): HTMLElement[] => [
    ...(container.current?.querySelectorAll<HTMLElement>('[data-step-id]') ?? []),
  ];
  const focusStep = (el: HTMLElement | undefined): boolean => {
    if (!el) return false;
    const target = el.querySelector<HTMLElement>(FOCUSABLE) ?? el;
    target.focus();
    el.scrollIntoView({ block: 'nearest' });
    model.setActiveStep(el.dataset.stepId ?? null);
    return true;
  };

  useImperativeHandle(ref, () => ({
    move(direction) {
      const all = sections();
      const at = all.findIndex((el) => el.contains(document.activeElement));
      const from = at < 0 ? (direction === 1 ? -1 : all.length) : at;
      return focusStep(all[from + direction]);
    },
    focusFirstOpen() {
      const all = sections();
      focusStep(all.find((el) => el.dataset.complete !== 'true') ?? all[0]);
    },
  }));

  if (!module || !state) return null;
  // Numbered among the visible steps, so "3 of 5 steps done" and the numbers agree.
  const numbers = new Map<string, number>();
  module.stepList.forEach((step, index) => {
    if (state.steps[index]?.visible) numbers.set(step.id, numbers.size + 1);
  });

  return (
    <ol className="ld-steps" ref={container} aria-label={`Checklist: ${module.title}`}>
      {module.stepList.map((step, index) => {
        const s = state.steps[index] as StepState;
        if (!s.visible) return null;
        return (
          <StepCard
            key={step.id}
            number={numbers.get(step.id) ?? 0}
            step={step}
            state={s}
            model={model}
            exception={exception}
            active={model.activeStep === step.id}
          />
        );
      })}
    </ol>
  );
});

function StepCard({
  number,
  step,
  state,
  model,
  exception,
  active,
}: {
  number: number;
  step: SopStep;
  state: StepState;
  model: ChecklistModel;
  exception: ChecklistException;
  active: boolean;
}) {
  const headingId = `step-${step.id}-h`;
  const invalid = new Map(state.problems.filter((p) => p.kind === 'invalid').map((p) => [p.field, p.detail]));
  const confirmed = model.answers[step.id] === true;
  return (
    <li
      className={`ld-step${state.complete ? ' ld-step-done' : ''}${active ? ' ld-step-active' : ''}`}
      data-step-id={step.id}
      data-complete={state.complete ? 'true' : 'false'}
      aria-labelledby={headingId}
      onFocus={() => model.setActiveStep(step.id)}
    >
      <div className="ld-step-head">
        <Icon
          icon={state.complete ? 'tick-circle' : 'circle'}
          intent={state.complete ? 'success' : 'none'}
          aria-hidden="true"
        />
        <H3 id={headingId} className="ld-step-title">
          {number}. {step.title}
        </H3>
        <Tag minimal className="ld-step-kind">
          {KIND_LABEL[step.kind]}
        </Tag>
        {!step.required && <span className="ld-muted ld-small">optional</span>}
      </div>
      {step.body && (
        <div className="ld-step-body">
          <Markdown remarkPlugins={[remarkGfm]}>{step.body}</Markdown>
        </div>
      )}
      {step.fields.map((f) => (
        <FieldInput
          key={f.id}
          field={f}
          value={model.answers[f.id]}
          exception={exception}
          problem={invalid.get(f.id) ?? null}
          onChange={(v, typing) => model.setAnswer(f.id, v, typing)}
        />
      ))}
      {(step.kind === 'check' || step.kind === 'action') && (
        <Checkbox
          className="ld-step-confirm"
          checked={confirmed}
          label={step.confirm ?? 'Done'}
          onChange={(e) => model.setAnswer(step.id, e.currentTarget.checked ? true : undefined)}
        />
      )}
      {step.rubric.some((r) => r.critical) && (
        <Callout compact intent="warning" icon="endorsed" className="ld-step-rubric">
          QA checks:{' '}
          {step.rubric
            .filter((r) => r.critical)
            .map((r) => r.text)
            .join(' · ')}
        </Callout>
      )}
    </li>
  );
}
