import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Decimal from 'decimal.js';
import type { Money } from '@shared/money';
import {
  RESOLUTION_CODES,
  type Resolution,
  type ResolutionAction,
  type ResolutionCode,
} from '@shared/resolution';
import { conditionVars } from '@shared/sop/condition';
import {
  evaluateChecklist,
  moduleFor,
  needsApproval,
  type ChecklistException,
  type ChecklistState,
} from '@shared/sop/engine';
import type { AnswerValue, Answers, SopField, SopModule, SopStep } from '@shared/sop/module';
import { formatSopProblem } from '@shared/sop/parse';
import type { ChecklistResult, HandleTime } from '@shared/sync/mutations';
import { loadSopFolder } from '../../server/src/features/sops/load-folder';

/**
 * Test support for checklists: fills in any SOP module's checklist with valid answers by walking
 * it with the shared engine (never with answers written for one module), and picks a resolution
 * the module offers. Tests that resolve build their checklist here, so they keep working as
 * modules are added or changed.
 */

/** Actions that move money: the resolution must carry an amount (shared/resolution.ts). */
export const MONEY_ACTIONS: readonly ResolutionAction[] = ['write_off', 'credit_memo_request', 'rebill'];
/** Actions that finish the item without money, the exception ending `resolved`. */
export const PLAIN_ACTIONS: readonly ResolutionAction[] = ['no_action', 'partner_dispute', 'remeter_request'];
/** Without a preference: finish the item simply, money last, escalation and waiting only if nothing else. */
const DEFAULT_ORDER: readonly ResolutionAction[] = [
  ...PLAIN_ACTIONS,
  ...MONEY_ACTIONS,
  'escalate',
  'pending_partner',
];

export interface SolvePreference {
  /** Acceptable actions, best first; when given, no other action is picked. */
  actions?: readonly ResolutionAction[];
  /** Only this code. */
  code?: ResolutionCode;
  /** The amount the resolution will carry (for the approval check below). */
  amount?: Money | null;
  /** avoid: skip picks a lead would have to approve; require: only such picks. Default: either. */
  approval?: 'avoid' | 'require';
}

export interface SolvedChecklist {
  answers: Answers;
  resolution: { code: ResolutionCode; action: ResolutionAction };
}

/** More paths than any sane module has; a module needing more is worth a look. */
const SEARCH_BUDGET = 20_000;

const needsConfirmation = (step: SopStep): boolean => step.kind === 'check' || step.kind === 'action';

/** Answer ids some condition reads: only these choices can change the path, so only these branch. */
function steeringAnswers(module: SopModule): Set<string> {
  const names = [
    ...module.stepList.flatMap((s) => (s.when === undefined ? [] : conditionVars(s.when))),
    ...module.resolutions.flatMap((r) => (r.when === undefined ? [] : conditionVars(r.when))),
  ];
  return new Set(names.filter((n) => n.startsWith('answers.')).map((n) => n.slice('answers.'.length)));
}

function dateBound(bound: string, exception: ChecklistException, today: string): string {
  if (bound === 'today') return today;
  if (bound === 'periodStart') return exception.periodStart;
  if (bound === 'periodEnd') return exception.periodEnd;
  return bound;
}

/** Reference formats seen in SOPs, tried against a field's pattern when no exercise answers it. */
const REFERENCE_SAMPLES = [
  'CASE-1234',
  'ABC-123',
  'INV-2025-0001',
  '12345678',
  '123456789012',
  'ref-1234',
  'a1b2c3d4',
];

/** A field the solver cannot answer: the path through it is a dead end (others may do). */
class Unanswerable extends Error {}

/**
 * The answers to try for one field, in order; more than one only for a choice that steers the
 * path. Empty for an optional field the solver cannot answer (left unanswered).
 */
function candidates(
  module: SopModule,
  step: SopStep,
  field: SopField,
  exception: ChecklistException,
  today: string,
  steering: ReadonlySet<string>,
): AnswerValue[] {
  switch (field.type) {
    case 'select':
      return steering.has(field.id) ? field.options.map((o) => o.value) : [field.options[0]!.value];
    case 'multiselect': {
      const n = Math.min(Math.max(field.minItems ?? 1, 1), field.maxItems ?? field.options.length);
      const first = field.options.slice(0, n).map((o) => o.value);
      if (!steering.has(field.id) || n !== 1) return [first];
      return field.options.map((o) => [o.value]);
    }
    case 'text': {
      if (field.pattern !== undefined) {
        const full = new RegExp(`^(?:${field.pattern})$`);
        const known = [
          ...module.exerciseList.map((e) => e.expected.answers[field.id]),
          ...REFERENCE_SAMPLES,
        ].find((v): v is string => typeof v === 'string' && full.test(v.trim()));
        if (known !== undefined) return [known];
        if (!field.required) return [];
        throw new Unanswerable(
          `SOP ${module.id} ${module.version}, step "${step.id}", field "${field.id}" needs text ` +
            `matching /${field.pattern}/ and no exercise of the module answers it; add an exercise ` +
            `(or teach test/support/sop-solver.ts this format)`,
        );
      }
      let text = 'Checked against the evidence; see the note.';
      while (text.length < (field.minLength ?? 0)) text += ' Checked again.';
      return [text.slice(0, field.maxLength)];
    }
    case 'number': {
      let n = new Decimal(field.min ?? '1');
      if (field.integer && !n.isInteger()) n = n.ceil();
      if (field.max !== undefined && n.greaterThan(field.max)) n = new Decimal(field.max);
      return [n.toFixed()];
    }
    case 'money': {
      let amount = new Decimal(field.min ?? '0');
      if (field.max !== undefined && amount.greaterThan(field.max)) amount = new Decimal(field.max);
      const currency = field.currency === 'variance' ? exception.variance.currency : field.currency;
      return [{ amount: amount.toFixed(), currency }];
    }
    case 'date': {
      let day = today;
      if (field.min !== undefined && day < dateBound(field.min, exception, today))
        day = dateBound(field.min, exception, today);
      if (field.max !== undefined && day > dateBound(field.max, exception, today))
        day = dateBound(field.max, exception, today);
      return [day];
    }
    case 'file':
      return [[{ id: 'att-1', name: 'evidence.pdf', type: field.accept[0]!, size: 1 }]];
  }
}

export type ResolutionPick = SolvedChecklist['resolution'];

/** The offered resolutions the preference accepts, best first. */
function acceptable(
  module: SopModule,
  state: ChecklistState,
  prefer: SolvePreference,
): { pick: ResolutionPick; rank: number }[] {
  const order = prefer.actions ?? DEFAULT_ORDER;
  const out: { pick: ResolutionPick; rank: number }[] = [];
  for (const offered of state.resolutions) {
    if (prefer.code !== undefined && offered.code !== prefer.code) continue;
    for (const action of offered.actions) {
      const rank = order.indexOf(action);
      if (rank < 0) continue;
      if (prefer.approval !== undefined) {
        const amount = MONEY_ACTIONS.includes(action) ? (prefer.amount ?? null) : null;
        const held = needsApproval(module, { code: offered.code, action, amount });
        if (held !== (prefer.approval === 'require')) continue;
      }
      out.push({ pick: { code: offered.code, action }, rank });
    }
  }
  return out.sort((a, b) => a.rank - b.rank);
}

/**
 * Walks the module's steps in order with the engine, answering every visible step validly
 * (re-evaluating after each, since later steps show or hide on earlier answers) until the
 * checklist is complete, and picks an offered resolution honouring `prefer`. Choices that steer
 * the path (a select some condition reads) are explored until the best acceptable resolution is
 * found. Throws, saying why, when no path offers one.
 */
export function solveChecklist(
  module: SopModule,
  exception: ChecklistException,
  today: string,
  prefer: SolvePreference = {},
): SolvedChecklist {
  const steering = steeringAnswers(module);
  const evaluate = (answers: Answers): ChecklistState =>
    evaluateChecklist({ module, exception, answers, today });
  let evaluations = 0;
  let best: { answers: Answers; pick: ResolutionPick; rank: number } | null = null;
  const offeredSeen = new Set<string>();
  const deadEnds = new Set<string>();

  // Depth first over the steps; returns true when the best possible pick (rank 0) is found.
  const walk = (index: number, answers: Answers): boolean => {
    if ((evaluations += 1) > SEARCH_BUDGET) {
      throw new Error(`sop-solver: SOP ${module.id} ${module.version} has more paths than ${SEARCH_BUDGET}`);
    }
    const state = evaluate(answers);
    if (index === module.stepList.length) {
      if (!state.complete) {
        throw new Error(
          `sop-solver: answered every step of SOP ${module.id} ${module.version} but it is not complete: ${state.blockers.join('; ')}`,
        );
      }
      for (const r of state.resolutions) for (const a of r.actions) offeredSeen.add(`${r.code}/${a}`);
      const found = acceptable(module, state, prefer)[0];
      if (found && (!best || found.rank < best.rank)) best = { answers, pick: found.pick, rank: found.rank };
      return best?.rank === 0;
    }
    const step = module.stepList[index]!;
    if (!state.steps[index]?.visible) return walk(index + 1, answers);

    const fill = (f: number, partial: Answers): boolean => {
      if (f === step.fields.length) {
        const filled = needsConfirmation(step) ? { ...partial, [step.id]: true } : partial;
        const s = evaluate(filled).steps[index];
        if (!s?.complete) {
          throw new Error(
            `sop-solver: could not answer step "${step.id}" of SOP ${module.id} ${module.version} validly: ` +
              (s?.problems.map((p) => p.message).join('; ') ?? 'no state'),
          );
        }
        return walk(index + 1, filled);
      }
      const field = step.fields[f]!;
      let options: AnswerValue[];
      try {
        options = candidates(module, step, field, exception, today, steering);
      } catch (error) {
        if (!(error instanceof Unanswerable)) throw error;
        deadEnds.add(error.message);
        return false;
      }
      if (options.length === 0) return fill(f + 1, partial);
      for (const value of options) if (fill(f + 1, { ...partial, [field.id]: value })) return true;
      return false;
    };
    return fill(0, answers);
  };

  walk(0, {});
  const found = best as { answers: Answers; pick: ResolutionPick } | null;
  if (!found) {
    throw new Error(
      `sop-solver: SOP ${module.id} ${module.version} offers nothing acceptable for ${exception.id} ` +
        `(${exception.type}, ${exception.channel}, variance ${exception.variance.amount} ${exception.variance.currency}) ` +
        `with preference ${JSON.stringify(prefer)}; on some path it offers: ${[...offeredSeen].join(', ') || 'nothing'}` +
        (deadEnds.size > 0 ? `; paths not tried: ${[...deadEnds].join('; ')}` : ''),
    );
  }
  return { answers: found.answers, resolution: found.pick };
}

/** The whole resolution for a pick: amount in the variance currency, follow-up date, note. */
export function resolutionOf(
  exception: ChecklistException,
  pick: ResolutionPick,
  opts: { amount?: string; note?: string; followUpDate?: string; today?: string } = {},
): Resolution {
  const moves = MONEY_ACTIONS.includes(pick.action);
  // A money action settles the variance itself, sign and all (shared/resolution-amount.ts).
  const fallback = exception.variance.amount;
  const today = opts.today ?? new Date().toISOString().slice(0, 10);
  const inAWeek = new Date(Date.parse(`${today}T00:00:00Z`) + 7 * 86_400_000).toISOString().slice(0, 10);
  return {
    code: pick.code,
    action: pick.action,
    note: opts.note ?? `${RESOLUTION_CODES[pick.code]}: ${pick.action.replace(/_/g, ' ')} per the SOP`,
    amount: moves ? { amount: opts.amount ?? fallback, currency: exception.variance.currency } : null,
    followUpDate: pick.action === 'pending_partner' ? (opts.followUpDate ?? inAWeek) : null,
  };
}

// ---------------------------------------------------------------------------------------------
// Modules: the shipped ones, as the server publishes them at start.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SHIPPED_DIR = join(ROOT, 'sops');

let shipped: readonly SopModule[] | null = null;

/**
 * The modules in the repository's sops/ (cached), read with the server's own loader. A folder
 * the server would refuse to start on fails here too, saying why.
 */
export function shippedModules(): readonly SopModule[] {
  if (shipped) return shipped;
  const { modules, problems } = loadSopFolder(SHIPPED_DIR);
  if (problems.length > 0) {
    throw new Error(`the shipped SOP modules do not load:\n${problems.map(formatSopProblem).join('\n')}`);
  }
  shipped = modules;
  return shipped;
}

/** The module a resolve of this exception follows (the newest for its type, as the desktop picks). */
export function moduleForException(
  exception: Pick<ChecklistException, 'type' | 'id'>,
  modules: readonly SopModule[] = shippedModules(),
): SopModule {
  const module = moduleFor(modules, exception.type);
  if (!module) throw new Error(`sop-solver: no SOP module applies to ${exception.id} (${exception.type})`);
  return module;
}

export interface ChecklistFor {
  checklist: ChecklistResult;
  resolution: ResolutionPick;
  module: SopModule;
}

/**
 * The `checklist` of an exception.resolve mutation for this exception (module: the newest for
 * its type among `modules`, default the shipped ones, which the server publishes), solved with
 * `prefer`, and the code and action to resolve with.
 */
export function checklistFor(
  exception: ChecklistException,
  opts: {
    prefer?: SolvePreference;
    today?: string;
    modules?: readonly SopModule[];
    handle?: HandleTime;
  } = {},
): ChecklistFor {
  const module = moduleForException(exception, opts.modules);
  const today = opts.today ?? new Date().toISOString().slice(0, 10);
  const solved = solveChecklist(module, exception, today, opts.prefer);
  return {
    checklist: {
      sop: { moduleId: module.id, version: module.version },
      answers: solved.answers,
      handle: opts.handle ?? { activeMs: 0, steps: {} },
    },
    resolution: solved.resolution,
    module,
  };
}

/**
 * An amount for `action` on an item with this variance that the module's approval rule holds for
 * a lead: the whole variance, when it is above the rule's threshold; null when the module never
 * holds that action or the variance is within the threshold (a resolution can settle no more
 * than its variance, shared/resolution-amount.ts).
 */
export function amountNeedingApproval(
  module: SopModule,
  action: ResolutionAction,
  variance: Money,
): string | null {
  const rule = module.approvals.find((a) => a.action === action);
  if (!rule) return null;
  const size = new Decimal(variance.amount).abs();
  if (size.isZero()) return null;
  const threshold = rule.above[variance.currency];
  return threshold === undefined || size.greaterThan(threshold) ? variance.amount : null;
}
