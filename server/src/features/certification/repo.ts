import { majorOf } from '@shared/sop/versioning';
import type { SopModule } from '@shared/sop/module';
import type { PracticeResult } from '@shared/sop/practice';
import { appendAudit } from '../../audit/log';
import type { Queryable } from '../../db/types';
import { refreshWorkTypes } from './work-types';

/**
 * Records a scored practice attempt: always audited (`practice.attempt`, with the score), and
 * when it passed, a certification on the module's major version (`certification.granted`; the
 * first pass of a major stands, a later one changes nothing) and the operator's work types
 * rebuilt in the same transaction, so their next get-next already hands them the type.
 */
export async function recordAttempt(
  tx: Queryable,
  userId: string,
  module: SopModule,
  result: PracticeResult,
  by: string,
): Promise<{ certified: boolean; newly: boolean }> {
  const audit = [
    {
      actorId: by === 'practice' ? userId : null,
      action: 'practice.attempt',
      entity: 'sop',
      entityId: `${module.id}@${module.version}`,
      details: {
        userId,
        scorePercent: result.scorePercent,
        passMarkPercent: result.passMarkPercent,
        passed: result.passed,
      },
    },
  ];
  let newly = false;
  if (result.passed) {
    const inserted = await tx.query<{ id: string }>(
      `INSERT INTO certifications (user_id, module_id, major, version, score_percent, certified_by)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (user_id, module_id, major) DO NOTHING RETURNING id::text`,
      [userId, module.id, majorOf(module.version), module.version, result.scorePercent, by],
    );
    newly = inserted.length > 0;
    if (newly) {
      audit.push({
        actorId: by === 'practice' ? userId : null,
        action: 'certification.granted',
        entity: 'user',
        entityId: userId,
        details: {
          userId,
          scorePercent: result.scorePercent,
          passMarkPercent: result.passMarkPercent,
          passed: true,
          ...{ moduleId: module.id, major: majorOf(module.version), version: module.version, by },
        },
      });
    }
    await refreshWorkTypes(tx, { types: module.appliesTo, userIds: [userId] });
  }
  await appendAudit(tx, audit);
  return { certified: result.passed, newly };
}
