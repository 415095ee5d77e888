import { useCallback, useEffect, useRef } from 'react';

/** No keyboard or pointer input for this long counts as idle: the clock stops. */
const IDLE_AFTER_MS = 60_000;
const TICK_MS = 1_000;

export interface HandleTimeDeltas {
  activeMsDelta: number;
  stepMsDelta: Record<string, number>;
}

/**
 * Active handle time, measured passively: a one-second tick adds time only while the window has
 * focus, is visible and saw input in the last minute, to the item and to the step the operator
 * is on. `take()` hands over what accrued since the last take (saved with the next autosave).
 */
export function useHandleTime(currentStep: () => string | null): { take(): HandleTimeDeltas } {
  // 0 until the effect starts: the first tick before any input then counts as idle-free start.
  const lastInput = useRef(0);
  const acc = useRef<HandleTimeDeltas>({ activeMsDelta: 0, stepMsDelta: {} });

  useEffect(() => {
    lastInput.current = Date.now();
    const mark = (): void => {
      lastInput.current = Date.now();
    };
    const events = ['keydown', 'pointerdown', 'pointermove', 'wheel'] as const;
    for (const e of events) window.addEventListener(e, mark, { passive: true });
    const timer = setInterval(() => {
      const active =
        document.visibilityState === 'visible' &&
        document.hasFocus() &&
        Date.now() - lastInput.current < IDLE_AFTER_MS;
      if (!active) return;
      acc.current.activeMsDelta += TICK_MS;
      const step = currentStep();
      if (step) acc.current.stepMsDelta[step] = (acc.current.stepMsDelta[step] ?? 0) + TICK_MS;
    }, TICK_MS);
    return () => {
      clearInterval(timer);
      for (const e of events) window.removeEventListener(e, mark);
    };
  }, [currentStep]);

  const take = useCallback((): HandleTimeDeltas => {
    const out = acc.current;
    acc.current = { activeMsDelta: 0, stepMsDelta: {} };
    return out;
  }, []);
  return { take };
}
