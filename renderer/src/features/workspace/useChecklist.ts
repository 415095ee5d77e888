import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ChecklistException } from '@shared/sop/engine';
import { evaluateChecklist, type ChecklistState } from '@shared/sop/engine';
import type { AnswerValue, Answers, SopModule } from '@shared/sop/module';
import type { ResolutionDraft } from '@shared/ipc/channels';
import { call, describeError } from '../../bridge';
import { useHandleTime } from './useHandleTime';

export type SaveState = 'idle' | 'saving' | 'saved' | 'error';

export interface ChecklistModel {
  loading: boolean;
  loadError: string | null;
  module: SopModule | null;
  answers: Answers;
  state: ChecklistState | null;
  saveState: SaveState;
  saveError: string | null;
  activeStep: string | null;
  setActiveStep(id: string | null): void;
  /** `typing`: text being typed saves after a short pause (and on blur); everything else at once. */
  setAnswer(id: string, value: AnswerValue | undefined, typing?: boolean): void;
  /** The resolution form as last saved (null: never touched); read once when the form mounts. */
  resolutionDraft: ResolutionDraft | null;
  /** Saves the resolution form after a short pause, like typed answers. */
  setResolutionDraft(draft: ResolutionDraft): void;
  /** Writes whatever is pending now (before a resolve, on blur). */
  flush(): Promise<void>;
}

const TYPING_PAUSE_MS = 300;
const TIME_FLUSH_MS = 15_000;

const today = (): string => new Date().toISOString().slice(0, 10);

/**
 * One item's checklist: loads the module and the autosaved answers, runs the shared engine on
 * every change, and autosaves each change to the local store (a crash loses at most the last
 * 300 ms of typing), together with the resolution form and the handle time accrued since the
 * previous save.
 */
export function useChecklist(exception: ChecklistException): ChecklistModel {
  const exceptionId = exception.id;
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [module, setModule] = useState<SopModule | null>(null);
  const [answers, setAnswers] = useState<Answers>({});
  const [saveState, setSaveState] = useState<SaveState>('idle');
  const [saveError, setSaveError] = useState<string | null>(null);
  const [activeStep, setActiveStepState] = useState<string | null>(null);

  const [resolutionDraft, setLoadedResolution] = useState<ResolutionDraft | null>(null);
  const answersRef = useRef<Answers>({});
  const resolutionRef = useRef<ResolutionDraft | null>(null);
  const activeStepRef = useRef<string | null>(null);
  const dirty = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const chain = useRef<Promise<void>>(Promise.resolve());
  const currentStep = useCallback(() => activeStepRef.current, []);
  const time = useHandleTime(currentStep);

  // The workspace is keyed by exception id, so this runs once per item: state starts as "loading".
  useEffect(() => {
    let cancelled = false;
    call('checklist.get', { exceptionId })
      .then((view) => {
        if (cancelled) return;
        setModule(view.module);
        answersRef.current = view.draft.answers;
        setAnswers(view.draft.answers);
        resolutionRef.current = view.draft.resolution;
        setLoadedResolution(view.draft.resolution);
        setSaveState(view.draft.updatedAt ? 'saved' : 'idle');
        setLoading(false);
      })
      .catch((e: unknown) => {
        if (cancelled) return;
        setLoadError(describeError(e));
        setLoading(false);
      });
    return () => {
      cancelled = true;
    };
  }, [exceptionId]);

  const save = useCallback((): Promise<void> => {
    if (timer.current) {
      clearTimeout(timer.current);
      timer.current = null;
    }
    // Saves run one after another, each with the answers as they are when it starts.
    chain.current = chain.current.then(async () => {
      const deltas = time.take();
      if (!dirty.current && deltas.activeMsDelta === 0) return;
      dirty.current = false;
      setSaveState('saving');
      try {
        const resolution = resolutionRef.current;
        await call('checklist.save', {
          exceptionId,
          answers: answersRef.current,
          ...deltas,
          ...(resolution ? { resolution } : {}),
        });
        setSaveState('saved');
        setSaveError(null);
      } catch (e) {
        dirty.current = true;
        setSaveState('error');
        setSaveError(describeError(e));
      }
    });
    return chain.current;
  }, [exceptionId, time]);

  // Handle time reaches the store even while the operator only reads.
  useEffect(() => {
    const t = setInterval(() => void save(), TIME_FLUSH_MS);
    return () => {
      clearInterval(t);
      void save();
    };
  }, [save]);

  /** A change to save: at once, or after a pause in typing (each keystroke restarts the pause). */
  const changed = useCallback(
    (typing: boolean) => {
      dirty.current = true;
      // The indicator says "saving" from the keystroke, not only once the pause has passed.
      setSaveState('saving');
      if (!typing) {
        void save();
        return;
      }
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => void save(), TYPING_PAUSE_MS);
    },
    [save],
  );

  const setAnswer = useCallback(
    (id: string, value: AnswerValue | undefined, typing = false) => {
      const next = { ...answersRef.current };
      if (value === undefined) delete next[id];
      else next[id] = value;
      answersRef.current = next;
      setAnswers(next);
      changed(typing);
    },
    [changed],
  );

  const setResolutionDraft = useCallback(
    (draft: ResolutionDraft) => {
      resolutionRef.current = draft;
      changed(true);
    },
    [changed],
  );

  const setActiveStep = useCallback((id: string | null) => {
    activeStepRef.current = id;
    setActiveStepState(id);
  }, []);

  const state = useMemo(
    () => (module ? evaluateChecklist({ module, exception, answers, today: today() }) : null),
    [module, exception, answers],
  );

  return {
    loading,
    loadError,
    module,
    answers,
    state,
    saveState,
    saveError,
    activeStep,
    setActiveStep,
    setAnswer,
    resolutionDraft,
    setResolutionDraft,
    flush: save,
  };
}
