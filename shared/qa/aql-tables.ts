/**
 * ISO 2859-1:1999 (ANSI/ASQ Z1.4) single sampling tables, transcribed as data.
 *
 * Only AQLs up to 10 are carried: a QA review judges each work item pass or fail, so the AQL is
 * a percent nonconforming, and the standard allows percent-nonconforming AQLs only up to 10
 * (the columns 15..1000 are for nonconformities per hundred units).
 *
 * A master-table cell is either a plan "Ac/Re" or an arrow: "v" = use the first sampling plan
 * below the arrow, "^" = use the first plan above. The arrow is followed in the same AQL column
 * and THAT row's sample size and Ac/Re are used (see `sampling-plan.ts`); nothing here is
 * flattened.
 */

export const INSPECTION_LEVELS = ['I', 'II', 'III'] as const;
export type InspectionLevel = (typeof INSPECTION_LEVELS)[number];

export const AQLS = [
  '0.010',
  '0.015',
  '0.025',
  '0.040',
  '0.065',
  '0.10',
  '0.15',
  '0.25',
  '0.40',
  '0.65',
  '1.0',
  '1.5',
  '2.5',
  '4.0',
  '6.5',
  '10',
] as const;
export type Aql = (typeof AQLS)[number];

export const CODE_LETTERS = [
  'A',
  'B',
  'C',
  'D',
  'E',
  'F',
  'G',
  'H',
  'J',
  'K',
  'L',
  'M',
  'N',
  'P',
  'Q',
  'R',
] as const;
export type CodeLetter = (typeof CODE_LETTERS)[number];
/** Tightened inspection has one extra row below R (Table 2-B). */
export type TightenedRow = CodeLetter | 'S';

/** Table 1: lot-size ranges (inclusive; null = "and over") -> code letter per general level. */
export const CODE_LETTER_TABLE: readonly {
  min: number;
  max: number | null;
  letters: Readonly<Record<InspectionLevel, CodeLetter>>;
}[] = [
  { min: 2, max: 8, letters: { I: 'A', II: 'A', III: 'B' } },
  { min: 9, max: 15, letters: { I: 'A', II: 'B', III: 'C' } },
  { min: 16, max: 25, letters: { I: 'B', II: 'C', III: 'D' } },
  { min: 26, max: 50, letters: { I: 'C', II: 'D', III: 'E' } },
  { min: 51, max: 90, letters: { I: 'C', II: 'E', III: 'F' } },
  { min: 91, max: 150, letters: { I: 'D', II: 'F', III: 'G' } },
  { min: 151, max: 280, letters: { I: 'E', II: 'G', III: 'H' } },
  { min: 281, max: 500, letters: { I: 'F', II: 'H', III: 'J' } },
  { min: 501, max: 1200, letters: { I: 'G', II: 'J', III: 'K' } },
  { min: 1201, max: 3200, letters: { I: 'H', II: 'K', III: 'L' } },
  { min: 3201, max: 10000, letters: { I: 'J', II: 'L', III: 'M' } },
  { min: 10001, max: 35000, letters: { I: 'K', II: 'M', III: 'N' } },
  { min: 35001, max: 150000, letters: { I: 'L', II: 'N', III: 'P' } },
  { min: 150001, max: 500000, letters: { I: 'M', II: 'P', III: 'Q' } },
  { min: 500001, max: null, letters: { I: 'N', II: 'Q', III: 'R' } },
];

/** Sample sizes of Tables 2-A (normal) and 2-B (tightened; S only there). */
export const NORMAL_SAMPLE_SIZES: Readonly<Record<TightenedRow, number>> = {
  A: 2,
  B: 3,
  C: 5,
  D: 8,
  E: 13,
  F: 20,
  G: 32,
  H: 50,
  J: 80,
  K: 125,
  L: 200,
  M: 315,
  N: 500,
  P: 800,
  Q: 1250,
  R: 2000,
  S: 3150,
};

/** Sample sizes of Table 2-C (reduced): A, B and C all take 2. */
export const REDUCED_SAMPLE_SIZES: Readonly<Record<CodeLetter, number>> = {
  A: 2,
  B: 2,
  C: 2,
  D: 3,
  E: 5,
  F: 8,
  G: 13,
  H: 20,
  J: 32,
  K: 50,
  L: 80,
  M: 125,
  N: 200,
  P: 315,
  Q: 500,
  R: 800,
};

// Columns, left to right: 0.010 0.015 0.025 0.040 0.065 0.10 0.15 0.25 0.40 0.65 1.0 1.5 2.5 4.0 6.5 10

/**
 * Table 2-A, normal inspection. Row A at AQL 10 carries "v": there is no plan above row A,
 * and the only plan the column offers from there is C's 1/2. Row R at 0.015 carries "^" for
 * the same reason the other way (no row below R).
 */
export const NORMAL_TABLE: Readonly<Record<CodeLetter, string>> = {
  A: 'v     v     v     v     v     v     v     v     v     v     v     v     v     v   0/1     v',
  B: 'v     v     v     v     v     v     v     v     v     v     v     v     v   0/1     ^     v',
  C: 'v     v     v     v     v     v     v     v     v     v     v     v   0/1     ^     v   1/2',
  D: 'v     v     v     v     v     v     v     v     v     v     v   0/1     ^     v   1/2   2/3',
  E: 'v     v     v     v     v     v     v     v     v     v   0/1     ^     v   1/2   2/3   3/4',
  F: 'v     v     v     v     v     v     v     v     v   0/1     ^     v   1/2   2/3   3/4   5/6',
  G: 'v     v     v     v     v     v     v     v   0/1     ^     v   1/2   2/3   3/4   5/6   7/8',
  H: 'v     v     v     v     v     v     v   0/1     ^     v   1/2   2/3   3/4   5/6   7/8 10/11',
  J: 'v     v     v     v     v     v   0/1     ^     v   1/2   2/3   3/4   5/6   7/8 10/11 14/15',
  K: 'v     v     v     v     v   0/1     ^     v   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22',
  L: 'v     v     v     v   0/1     ^     v   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22     ^',
  M: 'v     v     v   0/1     ^     v   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22     ^     ^',
  N: 'v     v   0/1     ^     v   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22     ^     ^     ^',
  P: 'v   0/1     ^     v   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22     ^     ^     ^     ^',
  Q: '0/1     ^     v   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22     ^     ^     ^     ^     ^',
  R: '^     ^   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22     ^     ^     ^     ^     ^     ^',
};

/**
 * Table 2-B, tightened inspection. Row S (3150) exists only to serve R's down arrow at 0.025.
 */
export const TIGHTENED_TABLE: Readonly<Record<TightenedRow, string>> = {
  A: 'v     v     v     v     v     v     v     v     v     v     v     v     v     v     v   0/1',
  B: 'v     v     v     v     v     v     v     v     v     v     v     v     v     v   0/1     v',
  C: 'v     v     v     v     v     v     v     v     v     v     v     v     v   0/1     v     v',
  D: 'v     v     v     v     v     v     v     v     v     v     v     v   0/1     v     v   1/2',
  E: 'v     v     v     v     v     v     v     v     v     v     v   0/1     v     v   1/2   2/3',
  F: 'v     v     v     v     v     v     v     v     v     v   0/1     v     v   1/2   2/3   3/4',
  G: 'v     v     v     v     v     v     v     v     v   0/1     v     v   1/2   2/3   3/4   5/6',
  H: 'v     v     v     v     v     v     v     v   0/1     v     v   1/2   2/3   3/4   5/6   8/9',
  J: 'v     v     v     v     v     v     v   0/1     v     v   1/2   2/3   3/4   5/6   8/9 12/13',
  K: 'v     v     v     v     v     v   0/1     v     v   1/2   2/3   3/4   5/6   8/9 12/13 18/19',
  L: 'v     v     v     v     v   0/1     v     v   1/2   2/3   3/4   5/6   8/9 12/13 18/19     ^',
  M: 'v     v     v     v   0/1     v     v   1/2   2/3   3/4   5/6   8/9 12/13 18/19     ^     ^',
  N: 'v     v     v   0/1     v     v   1/2   2/3   3/4   5/6   8/9 12/13 18/19     ^     ^     ^',
  P: 'v     v   0/1     v     v   1/2   2/3   3/4   5/6   8/9 12/13 18/19     ^     ^     ^     ^',
  Q: 'v   0/1     v     v   1/2   2/3   3/4   5/6   8/9 12/13 18/19     ^     ^     ^     ^     ^',
  R: '0/1     ^     v   1/2   2/3   3/4   5/6   8/9 12/13 18/19     ^     ^     ^     ^     ^     ^',
  S: '^     ^   1/2     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^',
};

/**
 * Table 2-C, reduced inspection (the 1999 edition: Re = Ac + 1, no gap between acceptance and
 * rejection, because the switching score replaced the 1989 "accept but reinstate normal" zone).
 * Rows A, B and C share the sample size 2 and so the same plans. Row R's cells below its 0/1
 * carry "^" where a down arrow would leave the table.
 */
export const REDUCED_TABLE: Readonly<Record<CodeLetter, string>> = {
  A: 'v     v     v     v     v     v     v     v     v     v     v     v     v   0/1     v     v',
  B: 'v     v     v     v     v     v     v     v     v     v     v     v     v   0/1     v     v',
  C: 'v     v     v     v     v     v     v     v     v     v     v     v     v   0/1     v     v',
  D: 'v     v     v     v     v     v     v     v     v     v     v     v   0/1     ^     v   1/2',
  E: 'v     v     v     v     v     v     v     v     v     v     v   0/1     ^     v   1/2   2/3',
  F: 'v     v     v     v     v     v     v     v     v     v   0/1     ^     v   1/2   2/3   3/4',
  G: 'v     v     v     v     v     v     v     v     v   0/1     ^     v   1/2   2/3   3/4   5/6',
  H: 'v     v     v     v     v     v     v     v   0/1     ^     v   1/2   2/3   3/4   5/6   6/7',
  J: 'v     v     v     v     v     v     v   0/1     ^     v   1/2   2/3   3/4   5/6   6/7   8/9',
  K: 'v     v     v     v     v     v   0/1     ^     v   1/2   2/3   3/4   5/6   6/7   8/9 10/11',
  L: 'v     v     v     v     v   0/1     ^     v   1/2   2/3   3/4   5/6   6/7   8/9 10/11 14/15',
  M: 'v     v     v     v   0/1     ^     v   1/2   2/3   3/4   5/6   6/7   8/9 10/11 14/15 21/22',
  N: 'v     v     v   0/1     ^     v   1/2   2/3   3/4   5/6   6/7   8/9 10/11 14/15 21/22     ^',
  P: 'v     v   0/1     ^     v   1/2   2/3   3/4   5/6   6/7   8/9 10/11 14/15 21/22     ^     ^',
  Q: 'v   0/1     ^     v   1/2   2/3   3/4   5/6   6/7   8/9 10/11 14/15 21/22     ^     ^     ^',
  R: '0/1     ^     ^   1/2   2/3   3/4   5/6   6/7   8/9 10/11 14/15 21/22     ^     ^     ^     ^',
};
