import { z } from 'zod';

/**
 * A whole number in a query string, written the one way a client writes it: decimal digits, no
 * sign, no leading zeros, no spaces. `z.coerce.number()` took `0x10`, `1e3`, ` 5` and `` (as 0),
 * so two spellings of a cursor could mean one position or an empty one a silent default. A
 * repeated parameter arrives as an array and is refused as not a string. Fifteen digits at most,
 * so every accepted value is an exact JavaScript number.
 */
export function queryInt(opts: { min: number; max?: number; default: number }) {
  return z
    .string()
    .regex(/^(0|[1-9][0-9]{0,14})$/, 'must be a decimal whole number')
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(opts.min)
        .max(opts.max ?? Number.MAX_SAFE_INTEGER),
    )
    .default(opts.default);
}
