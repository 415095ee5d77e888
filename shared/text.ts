import { z } from 'zod';

/**
 * Text that crosses a boundary (HTTP body, IPC payload, import file) must be storable as-is in
 * PostgreSQL `text` and SQLite: PostgreSQL refuses NUL (0x00) and cannot encode a lone UTF-16
 * surrogate, so either would fail a whole transaction far from the field that carried it.
 * Refusing them here names the field instead.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isStorableText(value: string): boolean {
  return !value.includes('\u0000') && !LONE_SURROGATE.test(value);
}

export const STORABLE_TEXT_MESSAGE = 'contains a NUL byte or an unpaired surrogate, which cannot be stored';

/** A string with a length limit that PostgreSQL and SQLite can both store. */
export function storableText(max: number, opts: { min?: number; trim?: boolean; minMessage?: string } = {}) {
  let s = z.string();
  if (opts.trim) s = s.trim();
  if (opts.min !== undefined) s = s.min(opts.min, opts.minMessage);
  return s.max(max).refine(isStorableText, STORABLE_TEXT_MESSAGE);
}
