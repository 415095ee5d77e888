/**
 * Every filter the queue toolbar offers (status chips alone or combined, the type and channel
 * selects, the search box) crossed with every sort of its Sort select: the first page (100 rows
 * and the total, as queue.list answers) and the status counts that label the chips.
 */
import type { ExceptionSummary } from '@shared/exception';
import { QUEUE_SORTS } from '@shared/ipc/channels';
import type { LocalStore } from '../electron/services/store/local-store';
import type { QueueFilter } from '../electron/services/store/queue-sql';

export interface Timing {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

export function time(reads: number, read: () => void): Timing {
  read(); // statement prepared and pages cached, as for an operator's second look
  const times: number[] = [];
  for (let i = 0; i < reads; i += 1) {
    const t = performance.now();
    read();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return {
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    max: times[times.length - 1] ?? Number.NaN,
  };
}

const ms = (n: number): string => n.toFixed(2).padStart(7);
export const timingText = (t: Timing): string =>
  `p50 ${ms(t.p50)}  p95 ${ms(t.p95)}  p99 ${ms(t.p99)}  max ${ms(t.max)} ms`;

/** The toolbar's filters, with values taken from the data (common and rare ones). */
export function toolbarFilters(records: readonly ExceptionSummary[]): [string, QueueFilter][] {
  const tally = <K extends string>(key: (r: ExceptionSummary) => K): K[] => {
    const n = new Map<K, number>();
    for (const r of records) n.set(key(r), (n.get(key(r)) ?? 0) + 1);
    return [...n.entries()].sort((a, b) => b[1] - a[1]).map(([k]) => k);
  };
  const types = tally((r) => r.type);
  const channels = tally((r) => r.channel);
  const statuses = tally((r) => r.status);
  const common = { type: types[0]!, channel: channels[0]!, status: statuses[0]! };
  const rare = { type: types[types.length - 1]!, channel: channels[channels.length - 1]! };
  const rareStatus = statuses[statuses.length - 1]!;
  const sample = records[Math.floor(records.length / 2)]!;
  const word = sample.customerName.split(' ')[0]!.toLowerCase();
  const idTail = sample.id.slice(-5);
  const account = sample.partnerAccountId.slice(2, 9);
  return [
    ['no filter', {}],
    [`statuses=[${common.status}]`, { statuses: [common.status] }],
    [`statuses=[${rareStatus}]`, { statuses: [rareStatus] }],
    ['statuses=[open,assigned,in_progress]', { statuses: ['open', 'assigned', 'in_progress'] }],
    [`types=[${common.type}]`, { types: [common.type] }],
    [`types=[${rare.type}]`, { types: [rare.type] }],
    [`channels=[${common.channel}]`, { channels: [common.channel] }],
    [`channels=[${rare.channel}]`, { channels: [rare.channel] }],
    [
      `statuses=[${common.status}] types=[${rare.type}] channels=[${common.channel}]`,
      { statuses: [common.status], types: [rare.type], channels: [common.channel] },
    ],
    [`statuses=[${rareStatus}] types=[${common.type}]`, { statuses: [rareStatus], types: [common.type] }],
    [`search="acme" (no match)`, { search: 'acme' }],
    [`search="${word}" (customer)`, { search: word }],
    [`search="${idTail}" (partial id)`, { search: idTail }],
    [`search="${account}" (partial account)`, { search: account }],
    [`search="cust-1" (most rows)`, { search: 'cust-1' }],
    [`search="ex" (short: id prefix)`, { search: 'ex' }],
    [`search="${word}" channels=[${common.channel}]`, { search: word, channels: [common.channel] }],
  ];
}

/** Prints one line per filter x sort, then the counts per filter; returns the worst p95s. */
export function printQueueMatrix(
  store: LocalStore,
  records: readonly ExceptionSummary[],
  reads: number,
): { worstPageP95: number; worstSearchP95: number; worstCountsP95: number } {
  let worstPageP95 = 0;
  let worstSearchP95 = 0;
  let worstCountsP95 = 0;
  const filters = toolbarFilters(records);
  for (const [label, filter] of filters) {
    for (const sort of QUEUE_SORTS) {
      let total = 0;
      const t = time(reads, () => {
        total = store.exceptions.page({ ...filter, sort, offset: 0, limit: 100 }).total;
      });
      if (filter.search) worstSearchP95 = Math.max(worstSearchP95, t.p95);
      else worstPageP95 = Math.max(worstPageP95, t.p95);
      console.log(`first page, ${label}, sort=${sort} (total ${total}): ${timingText(t)}`);
    }
  }
  for (const [label, filter] of filters) {
    if (filter.statuses) continue; // the counts ignore the status filter
    const t = time(reads, () => store.exceptions.counts(filter));
    worstCountsP95 = Math.max(worstCountsP95, t.p95);
    console.log(`status counts, ${label}: ${timingText(t)}`);
  }
  return { worstPageP95, worstSearchP95, worstCountsP95 };
}
