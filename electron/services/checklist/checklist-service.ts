import type { LocalException } from '@shared/exception';
import type { ChecklistDraft, ChecklistView, ResolutionDraft } from '@shared/ipc/channels';
import { moduleFor, needsApproval, resolutionProblems } from '@shared/sop/engine';
import { amountProblem, settledAmount } from '@shared/resolution-amount';
import type { SopModule } from '@shared/sop/module';
import type { Resolution } from '@shared/resolution';
import type { ChecklistResult } from '@shared/sync/mutations';
import { attachmentRefsOf } from '@shared/evidence/refs';
import { BridgeFailure } from '../bridge/bridge-failure';
import type { ChecklistRow } from '../store/checklist-repo';
import type { LocalStore } from '../store/local-store';

export interface ChecklistSaveInput {
  exceptionId: string;
  answers: ChecklistDraft['answers'];
  activeMsDelta: number;
  stepMsDelta: Record<string, number>;
  resolution?: ResolutionDraft | undefined;
}

export interface ChecklistService {
  view(userId: string, exceptionId: string): ChecklistView;
  save(userId: string, input: ChecklistSaveInput): ChecklistDraft;
  /**
   * The checklist to send with a resolution, after the same engine check the server will make;
   * throws a BridgeFailure naming what blocks it. Also says whether a lead must approve it.
   */
  forResolution(
    userId: string,
    exceptionId: string,
    resolution: Resolution,
    today: string,
  ): { checklist: ChecklistResult; needsApproval: boolean };
}

const toDraft = (row: ChecklistRow | null): ChecklistDraft => ({
  sop: row?.sop ?? null,
  answers: row?.answers ?? {},
  activeMs: row?.activeMs ?? 0,
  stepMs: row?.stepMs ?? {},
  resolution: row?.resolution ?? null,
  updatedAt: row ? new Date(row.updatedAt).toISOString() : null,
});

export function createChecklistService(
  store: LocalStore,
  now: () => Date = () => new Date(),
): ChecklistService {
  function moduleOf(
    userId: string,
    exceptionId: string,
  ): { exception: LocalException; module: SopModule | null; row: ChecklistRow | null } {
    const exception = store.exceptions.get(exceptionId);
    if (!exception)
      throw new BridgeFailure('not_found', `Exception ${exceptionId} is not in the local queue.`);
    const row = store.checklists.get(userId, exceptionId);
    // A run started on one version finishes on it, even if a newer one arrives or it is retired
    // meanwhile; a new run starts only on a version still live.
    const module = row
      ? store.sops.get(row.sop.moduleId, row.sop.version)
      : moduleFor(store.sops.live(), exception.type);
    return { exception, module, row };
  }

  return {
    view(userId, exceptionId) {
      const { module, row } = moduleOf(userId, exceptionId);
      return { module, draft: toDraft(row) };
    },
    save(userId, input) {
      const { module, row } = moduleOf(userId, input.exceptionId);
      if (!module) {
        throw new BridgeFailure(
          'conflict',
          'No SOP module for this exception type has been downloaded yet; sync first.',
        );
      }
      const saved = store.transaction(() =>
        store.checklists.save(userId, input.exceptionId, {
          sop: row?.sop ?? { moduleId: module.id, version: module.version },
          answers: input.answers,
          activeMsDelta: input.activeMsDelta,
          stepMsDelta: input.stepMsDelta,
          ...(input.resolution ? { resolution: input.resolution } : {}),
          now: now().getTime(),
        }),
      );
      return toDraft(saved);
    },
    forResolution(userId, exceptionId, resolution, today) {
      const { exception, module, row } = moduleOf(userId, exceptionId);
      if (!module) {
        throw new BridgeFailure(
          'conflict',
          `There is no SOP for ${exceptionId} on this machine yet; sync first.`,
        );
      }
      // The amount first, on its own field: the server refuses an amount that does not fit the
      // item's variance, and a result refused after a push is work the operator has to redo.
      const amountIssue = amountProblem(resolution, exception.variance);
      if (amountIssue) {
        throw new BridgeFailure('invalid_input', amountIssue, [{ path: 'amount', message: amountIssue }]);
      }
      const answers = row?.answers ?? {};
      const problems = resolutionProblems({ module, exception, answers, today }, resolution);
      // A file must be here to be uploaded with the result; the server refuses one it never got.
      for (const ref of attachmentRefsOf(answers)) {
        if (ref.sha256 && !store.evidenceFiles.has(ref.sha256)) {
          problems.push(`${ref.name} is no longer on this computer; attach it again`);
        }
      }
      if (problems.length > 0) {
        throw new BridgeFailure(
          'invalid_input',
          `The checklist does not allow this resolution yet: ${problems.join('; ')}`,
          problems.map((message) => ({ path: 'checklist', message })),
        );
      }
      return {
        checklist: {
          sop: { moduleId: module.id, version: module.version },
          answers,
          handle: { activeMs: row?.activeMs ?? 0, steps: row?.stepMs ?? {} },
        },
        needsApproval: needsApproval(module, {
          ...resolution,
          amount: settledAmount(resolution, exception.variance),
        }),
      };
    },
  };
}
