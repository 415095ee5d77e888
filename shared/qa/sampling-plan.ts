import {
  AQLS,
  CODE_LETTER_TABLE,
  NORMAL_SAMPLE_SIZES,
  NORMAL_TABLE,
  REDUCED_SAMPLE_SIZES,
  REDUCED_TABLE,
  TIGHTENED_TABLE,
  type Aql,
  type CodeLetter,
  type InspectionLevel,
  type TightenedRow,
} from './aql-tables';

export const SEVERITIES = ['normal', 'tightened', 'reduced'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** A single sampling plan as the inspector uses it for one lot. */
export interface SamplingPlan {
  /** The lot's own code letter (Table 1). */
  codeLetter: CodeLetter;
  /** The row the plan was read from after following arrows (may differ from `codeLetter`). */
  planLetter: TightenedRow;
  severity: Severity;
  aql: Aql;
  /** Items to inspect: the plan's sample size, or the whole lot when that is not larger. */
  sampleSize: number;
  /** The plan's sample size before capping at the lot size. */
  tableSampleSize: number;
  acceptanceNumber: number;
  rejectionNumber: number;
  /** The plan's sample size is at least the lot size: every item is inspected. */
  hundredPercent: boolean;
}

type Cell = { kind: 'plan'; ac: number; re: number } | { kind: 'down' } | { kind: 'up' };

const ROWS: Readonly<Record<Severity, readonly TightenedRow[]>> = {
  normal: ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'J', 'K', 'L', 'M', 'N', 'P', 'Q', 'R'],
  tightened: ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'J', 'K', 'L', 'M', 'N', 'P', 'Q', 'R', 'S'],
  reduced: ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'J', 'K', 'L', 'M', 'N', 'P', 'Q', 'R'],
};

function parseRow(row: string): Cell[] {
  return row
    .trim()
    .split(/\s+/)
    .map((token): Cell => {
      if (token === 'v') return { kind: 'down' };
      if (token === '^') return { kind: 'up' };
      const [ac, re] = token.split('/').map(Number);
      if (ac === undefined || re === undefined || !Number.isInteger(ac) || !Number.isInteger(re)) {
        throw new Error(`bad master-table cell "${token}"`);
      }
      return { kind: 'plan', ac, re };
    });
}

function tableRow(severity: Severity, letter: TightenedRow): string | undefined {
  if (severity === 'tightened') return TIGHTENED_TABLE[letter];
  if (letter === 'S') return undefined;
  return severity === 'normal' ? NORMAL_TABLE[letter] : REDUCED_TABLE[letter];
}

const PARSED: Readonly<Record<Severity, ReadonlyMap<TightenedRow, Cell[]>>> = {
  normal: parseAll('normal'),
  tightened: parseAll('tightened'),
  reduced: parseAll('reduced'),
};

function parseAll(severity: Severity): Map<TightenedRow, Cell[]> {
  const out = new Map<TightenedRow, Cell[]>();
  for (const letter of ROWS[severity]) {
    const row = tableRow(severity, letter);
    if (row === undefined) continue;
    const cells = parseRow(row);
    if (cells.length !== AQLS.length)
      throw new Error(`row ${letter} of the ${severity} table has ${cells.length} cells`);
    out.set(letter, cells);
  }
  return out;
}

export class LotSizeError extends Error {}

/** Table 1: the code letter for a lot size at a general inspection level (II by default). */
export function codeLetterFor(lotSize: number, level: InspectionLevel = 'II'): CodeLetter {
  if (!Number.isInteger(lotSize) || lotSize < 1)
    throw new LotSizeError('lot size must be a positive integer');
  // Table 1 starts at 2; a lot of one item is inspected whole under row A.
  const range = CODE_LETTER_TABLE.find((r) => lotSize <= (r.max ?? Number.POSITIVE_INFINITY));
  if (range === undefined) throw new LotSizeError('lot size out of range');
  return range.letters[level];
}

/** The sample size printed next to a code letter in the master table of a severity. */
export function sampleSizeOf(severity: Severity, letter: TightenedRow): number {
  if (severity === 'reduced') {
    if (letter === 'S') throw new Error('reduced inspection has no row S');
    return REDUCED_SAMPLE_SIZES[letter];
  }
  return NORMAL_SAMPLE_SIZES[letter];
}

/**
 * The plan for a code letter, AQL and severity, following the arrows: "v" moves to the next row
 * down in the same column until a plan is found, "^" to the next row up. The plan found there
 * supplies BOTH the sample size and Ac/Re.
 */
export function masterPlan(
  letter: CodeLetter,
  aql: Aql,
  severity: Severity,
): { planLetter: TightenedRow; sampleSize: number; ac: number; re: number } {
  const column = AQLS.indexOf(aql);
  if (column < 0) throw new Error(`unknown AQL ${aql}`);
  const rows = ROWS[severity];
  let index = rows.indexOf(letter);
  for (let steps = 0; steps <= rows.length; steps += 1) {
    const planLetter = rows[index];
    const cell = planLetter === undefined ? undefined : PARSED[severity].get(planLetter)?.[column];
    if (planLetter === undefined || cell === undefined) break;
    if (cell.kind === 'plan') {
      return { planLetter, sampleSize: sampleSizeOf(severity, planLetter), ac: cell.ac, re: cell.re };
    }
    index += cell.kind === 'down' ? 1 : -1;
  }
  throw new Error(`the ${severity} table has no plan reachable from ${letter} at AQL ${aql}`);
}

/** Everything an inspector needs for one lot: code letter, plan, and the 100% case. */
export function planForLot(input: {
  lotSize: number;
  aql: Aql;
  severity?: Severity;
  level?: InspectionLevel;
}): SamplingPlan {
  const severity = input.severity ?? 'normal';
  const codeLetter = codeLetterFor(input.lotSize, input.level ?? 'II');
  const found = masterPlan(codeLetter, input.aql, severity);
  const hundredPercent = found.sampleSize >= input.lotSize;
  return {
    codeLetter,
    planLetter: found.planLetter,
    severity,
    aql: input.aql,
    sampleSize: hundredPercent ? input.lotSize : found.sampleSize,
    tableSampleSize: found.sampleSize,
    acceptanceNumber: found.ac,
    rejectionNumber: found.re,
    hundredPercent,
  };
}

/** The lot is accepted when the nonconforming items found do not exceed the acceptance number. */
export function lotAccepted(plan: Pick<SamplingPlan, 'acceptanceNumber'>, nonconforming: number): boolean {
  return nonconforming <= plan.acceptanceNumber;
}

/**
 * For the switching score (ISO 2859-1:1999, 9.3.3.2): would this lot have been accepted had
 * the AQL been one step tighter? Read from the same row one column to the left; for the plans
 * this is asked of (Ac >= 2) that cell is always a plan of the same sample size.
 */
export function acceptedOneStepTighter(
  plan: Pick<SamplingPlan, 'planLetter' | 'aql' | 'severity'>,
  nonconforming: number,
): boolean {
  const column = AQLS.indexOf(plan.aql);
  const cell = column > 0 ? PARSED[plan.severity].get(plan.planLetter)?.[column - 1] : undefined;
  if (cell === undefined || cell.kind !== 'plan') return nonconforming === 0;
  return nonconforming <= cell.ac;
}
