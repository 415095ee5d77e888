import { useMemo, useState } from 'react';
import { evaluateChecklist, type ChecklistException } from '@shared/sop/engine';
import type { Answers, SopModule } from '@shared/sop/module';
import type { ChecklistModel } from '../workspace/useChecklist';

const today = (): string => new Date().toISOString().slice(0, 10);
const nothing = async (): Promise<void> => undefined;

/**
 * The workspace's checklist model for a trainer's preview: the same engine on every change, but
 * the answers live in this component only. Nothing is saved, queued, leased or audited.
 */
export function usePreviewChecklist(module: SopModule, exception: ChecklistException): ChecklistModel {
  const [answers, setAnswers] = useState<Answers>({});
  const [activeStep, setActiveStep] = useState<string | null>(null);
  const state = useMemo(
    () => evaluateChecklist({ module, exception, answers, today: today() }),
    [module, exception, answers],
  );
  return {
    loading: false,
    loadError: null,
    module,
    answers,
    state,
    saveState: 'idle',
    saveError: null,
    activeStep,
    setActiveStep,
    setAnswer(id, value) {
      setAnswers((prev) => {
        const next = { ...prev };
        if (value === undefined) delete next[id];
        else next[id] = value;
        return next;
      });
    },
    resolutionDraft: null,
    setResolutionDraft: () => undefined,
    flush: nothing,
  };
}
