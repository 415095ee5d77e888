import { createChecklistService } from '../../electron/services/checklist/checklist-service';
import type { Router } from '../../electron/services/bridge/router';
import type { LocalStore } from '../../electron/services/store/local-store';
import { channels } from '@shared/ipc/channels';
import type { Money } from '@shared/money';
import type { Resolution } from '@shared/resolution';
import { moduleFor } from '@shared/sop/engine';
import type { SopModule } from '@shared/sop/module';
import { resolutionOf, solveChecklist, type ResolutionPick, type SolvePreference } from './sop-solver';

/**
 * The operator's side of a checklist in desktop tests: answer the checklist of an item in the
 * local queue with the module the desktop itself holds (its SOP cache, as synced from the
 * server), autosave it as the workspace does, and return the resolution to resolve with.
 */

export interface FilledChecklist {
  pick: ResolutionPick;
  /** The whole resolution, amount in the variance currency where the action moves money. */
  resolution: Resolution;
  module: SopModule;
}

export interface FillOptions {
  prefer?: SolvePreference;
  /** For money actions; default the variance. */
  amount?: string;
  note?: string;
  followUpDate?: string;
  /** The operator's day; default today (UTC), as WorkService.resolve checks. */
  today?: string;
  activeMs?: number;
  /**
   * The local SOP cache, read once (`store.sops.all()`), for loops over thousands of items: the
   * draft is then saved straight through the checklist repository, pinned to the module the
   * service would pick (the newest cached for the type), instead of the service looking the
   * cache up again on every call.
   */
  modules?: readonly SopModule[];
}

/** The preference, with the amount the resolution will carry (for the approval check). */
function preferWithAmount(opts: FillOptions, variance: Money): SolvePreference {
  return { ...opts.prefer, amount: { amount: opts.amount ?? variance.amount, currency: variance.currency } };
}

/** Straight on the store, through the checklist service (fixtures and benches). */
export function fillChecklist(
  store: LocalStore,
  userId: string,
  exceptionId: string,
  opts: FillOptions = {},
): FilledChecklist {
  const exception = store.exceptions.get(exceptionId);
  if (!exception) throw new Error(`${exceptionId} is not in the local store`);
  const checklists = createChecklistService(store);
  const pinned = opts.modules ? store.checklists.get(userId, exceptionId)?.sop : undefined;
  const module = opts.modules
    ? pinned
      ? store.sops.get(pinned.moduleId, pinned.version)
      : moduleFor(opts.modules, exception.type)
    : checklists.view(userId, exceptionId).module;
  if (!module) throw new Error(`no SOP module for ${exceptionId} (${exception.type}) in the local cache`);
  const today = opts.today ?? new Date().toISOString().slice(0, 10);
  const solved = solveChecklist(module, exception, today, preferWithAmount(opts, exception.variance));
  const draft = { exceptionId, answers: solved.answers, activeMsDelta: opts.activeMs ?? 0, stepMsDelta: {} };
  if (opts.modules) {
    store.transaction(() =>
      store.checklists.save(userId, exceptionId, {
        sop: { moduleId: module.id, version: module.version },
        answers: draft.answers,
        activeMsDelta: draft.activeMsDelta,
        stepMsDelta: draft.stepMsDelta,
        now: Date.now(),
      }),
    );
  } else {
    checklists.save(userId, draft);
  }
  return { pick: solved.resolution, resolution: build(exception, solved.resolution, opts, today), module };
}

/** Through the bridge, as the renderer does: checklist.get, then checklist.save. */
export async function fillChecklistViaBridge(
  router: Router,
  exceptionId: string,
  opts: FillOptions = {},
): Promise<FilledChecklist> {
  const dispatch = async (channel: string, input: unknown): Promise<unknown> => {
    const result = await router.dispatch(channel, input);
    if (!result.ok) throw new Error(`${channel}: ${result.error.code}: ${result.error.message}`);
    return result.value;
  };
  const exception = channels['exception.get'].output.parse(
    await dispatch('exception.get', { id: exceptionId }),
  );
  const view = channels['checklist.get'].output.parse(await dispatch('checklist.get', { exceptionId }));
  if (!view.module) throw new Error(`no SOP module for ${exceptionId} (${exception.type}) on this machine`);
  const today = opts.today ?? new Date().toISOString().slice(0, 10);
  const solved = solveChecklist(view.module, exception, today, preferWithAmount(opts, exception.variance));
  await dispatch('checklist.save', {
    exceptionId,
    answers: solved.answers,
    activeMsDelta: opts.activeMs ?? 0,
    stepMsDelta: {},
  });
  return {
    pick: solved.resolution,
    resolution: build(exception, solved.resolution, opts, today),
    module: view.module,
  };
}

function build(
  exception: Parameters<typeof resolutionOf>[0],
  pick: ResolutionPick,
  opts: FillOptions,
  today: string,
): Resolution {
  return resolutionOf(exception, pick, {
    today,
    ...(opts.amount === undefined ? {} : { amount: opts.amount }),
    ...(opts.note === undefined ? {} : { note: opts.note }),
    ...(opts.followUpDate === undefined ? {} : { followUpDate: opts.followUpDate }),
  });
}
