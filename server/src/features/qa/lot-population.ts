import type { DrawItem } from '@shared/qa/policy';
import type { Queryable } from '../../db/types';

interface Row {
  exception_id: string;
  user_id: string;
  type: string;
  channel: string;
  sop_id: string | null;
  variance_amount: string;
  variance_currency: DrawItem['variance']['currency'];
  action: string;
}

/** Resolutions recorded before SOP modules existed carry no module; they share one stream. */
export const NO_SOP_MODULE = 'none';

/**
 * The population of a day's draw: every exception resolved (its last resolution that UTC day),
 * with the fields the sampling policy reads. The item id is the exception id, which is what a
 * reviewer opens. The partner stratum is the channel (AWS, Azure, GCP, reseller, direct).
 */
export async function lotPopulation(db: Queryable, lotDate: string): Promise<DrawItem[]> {
  const rows = await db.query<Row>(
    `SELECT DISTINCT ON (r.exception_id)
        r.exception_id, r.user_id, e.type, e.channel, r.sop_id,
        e.variance_amount::text AS variance_amount, e.variance_currency, r.action
       FROM exception_resolutions r
       JOIN exceptions e ON e.id = r.exception_id
      WHERE r.occurred_at >= $1::date AT TIME ZONE 'UTC'
        AND r.occurred_at < ($1::date + 1) AT TIME ZONE 'UTC'
      ORDER BY r.exception_id, r.occurred_at DESC, r.id DESC`,
    [lotDate],
  );
  return rows.map((r) => ({
    id: r.exception_id,
    operatorId: r.user_id,
    exceptionType: r.type,
    partner: r.channel,
    sopModuleId: r.sop_id ?? NO_SOP_MODULE,
    variance: { amount: r.variance_amount, currency: r.variance_currency },
    writeOff: r.action === 'write_off',
    escalated: r.action === 'escalate',
  }));
}
