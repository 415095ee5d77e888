import { type FormatSpec, normalizeHeader } from './format-spec';
import { awsBilledRevenue, awsBillingEvents, awsDisbursement, awsMetering } from './formats/aws';
import { azureEarnings, azureMeteredUsage, azurePayments } from './formats/azure';
import { gcpChargesUsage, gcpDisbursements } from './formats/gcp';
import { bankStatement, internalInvoices, internalUsage, rateCards } from './formats/internal';

/** Every import format, by the name `--format` takes. */
export const FORMATS: readonly FormatSpec[] = [
  awsBilledRevenue,
  awsDisbursement,
  awsBillingEvents,
  awsMetering,
  azureEarnings,
  azurePayments,
  azureMeteredUsage,
  gcpChargesUsage,
  gcpDisbursements,
  internalUsage,
  internalInvoices,
  rateCards,
  bankStatement,
];

export const FORMAT_NAMES = FORMATS.map((f) => f.name);

export function formatByName(name: string): FormatSpec | undefined {
  return FORMATS.find((f) => f.name === name);
}

export type Detection = { ok: true; format: FormatSpec } | { ok: false; message: string };

function requiredHeaders(spec: FormatSpec): string[] {
  return spec.columns.filter((c) => !c.optionalHeader).map((c) => c.header);
}

/** Headers of `spec` missing from a header row (already normalised). */
export function missingHeaders(spec: FormatSpec, present: ReadonlySet<string>): string[] {
  return requiredHeaders(spec).filter((h) => !present.has(normalizeHeader(h)));
}

/**
 * The format whose required headers are all in the header row; when several fit, the one that
 * recognises the most of the row's columns. None fits: say which format came closest and what
 * it lacks, so a renamed column is easy to spot.
 */
export function detectFormat(headers: readonly string[]): Detection {
  const present = new Set(headers.map(normalizeHeader));
  const scored = FORMATS.map((spec) => {
    const known = spec.columns.filter((c) => present.has(normalizeHeader(c.header))).length;
    return { spec, known, missing: missingHeaders(spec, present) };
  });
  const fitting = scored.filter((s) => s.missing.length === 0).sort((a, b) => b.known - a.known);
  const best = fitting[0];
  if (best && (fitting[1]?.known ?? -1) < best.known) return { ok: true, format: best.spec };
  if (best) {
    return {
      ok: false,
      message: `the header row fits several formats (${fitting.map((f) => f.spec.name).join(', ')}); expected one: choose it with --format`,
    };
  }
  const closest = [...scored].sort((a, b) => b.known - a.known || a.missing.length - b.missing.length)[0];
  if (!closest || closest.known === 0) {
    return {
      ok: false,
      message: `the header row matches no known format; expected the column names of one of: ${FORMAT_NAMES.join(', ')}`,
    };
  }
  return {
    ok: false,
    message: `the header row matches no known format; expected the columns of the closest, ${closest.spec.name}, which also needs: ${closest.missing.join(', ')}`,
  };
}
