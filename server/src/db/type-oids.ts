/**
 * PostgreSQL type OIDs whose default JS conversion differs between PGlite and node-postgres
 * (checked: PGlite gives INT8 as bigint, pg as string; both turn DATE into a Date at *local*
 * midnight, which shifts the day in any zone west of UTC). Both drivers install these parsers
 * so rows reach our code identically.
 */
export const OID_INT8 = 20;
export const OID_DATE = 1082;
export const OID_NUMERIC = 1700;

const asText = (value: string): string => value;

/** INT8 as a decimal string (exact beyond 2^53), DATE as the ISO date text, NUMERIC as text. */
export const TEXT_PARSED_OIDS: readonly number[] = [OID_INT8, OID_DATE, OID_NUMERIC];
export const textParser = asText;
