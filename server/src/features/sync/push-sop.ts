import type { Mutation } from '@shared/sync/mutations';
import { settledAmount } from '@shared/resolution-amount';
import { needsApproval, resolutionProblems } from '@shared/sop/engine';
import type { ExceptionSummary } from '@shared/exception';
import type { Queryable } from '../../db/types';
import { exceptionSummaryJsonSql } from '../exceptions/row-mapping';
import type { SopRegistry } from '../sops/registry';
import type { SopVerdict } from './push-decide';

/**
 * Runs the SOP engine over every resolve in the batch, against the exception as the server holds
 * it and exactly the module version the operator followed. Date bounds ("today") are the
 * server's day when it received the result, not the desk's clock; approval thresholds apply to
 * what the resolution really settles (for a write-off, the exception's whole variance).
 */
export async function sopVerdicts(
  tx: Queryable,
  sops: SopRegistry,
  mutations: readonly Mutation[],
  receivedAt: Date,
): Promise<Map<string, SopVerdict>> {
  const resolves = mutations.flatMap((m) =>
    m.body.kind === 'exception.resolve' ? [{ m, body: m.body }] : [],
  );
  const verdicts = new Map<string, SopVerdict>();
  if (resolves.length === 0) return verdicts;
  const today = receivedAt.toISOString().slice(0, 10);
  // The summary as the pull sends it, written by PostgreSQL: the server's own rows, validated on
  // their way in, so no second zod pass (it was a tenth of a push's CPU).
  const rows = await tx.query<{ doc: string }>(
    `SELECT ${exceptionSummaryJsonSql('e')} AS doc FROM exceptions e WHERE e.id = ANY($1::text[])`,
    [[...new Set(resolves.map((r) => r.body.exceptionId))]],
  );
  const exceptions = new Map(
    rows.map((r) => {
      const summary = JSON.parse(r.doc) as ExceptionSummary;
      return [summary.id, summary];
    }),
  );
  for (const { m, body } of resolves) {
    const exception = exceptions.get(body.exceptionId);
    const { moduleId, version } = body.checklist.sop;
    const module = await sops.get(moduleId, version, tx);
    if (!exception) {
      verdicts.set(m.mutationId, { problems: [], needsApproval: false });
    } else if (!module) {
      verdicts.set(m.mutationId, {
        problems: [`SOP ${moduleId} ${version} was never published`],
        needsApproval: false,
      });
    } else if (!module.appliesTo.includes(exception.type)) {
      verdicts.set(m.mutationId, {
        problems: [`SOP ${moduleId} does not apply to ${exception.type} exceptions`],
        needsApproval: false,
      });
    } else {
      const input = { module, exception, answers: body.checklist.answers, today };
      const settled = { ...body.resolution, amount: settledAmount(body.resolution, exception.variance) };
      verdicts.set(m.mutationId, {
        problems: resolutionProblems(input, body.resolution),
        needsApproval: needsApproval(module, settled),
      });
    }
  }
  return verdicts;
}
