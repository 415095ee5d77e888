import { FORMATS } from '@shared/ingest/format-registry';
import { ISO_MINOR_UNITS } from '@shared/ingest/precision';
import { FORMAT_EVIDENCE_SOURCE } from '@shared/recon/evidence-sources';
import type { ReconRules } from '@shared/recon/rules';
import type { Queryable } from '../../db/types';

/**
 * The rules (shared/recon/rules.ts) and the format registry as temporary tables, so every
 * matching statement joins them like any other table: the SQL holds no partner figure of its own.
 * Dropped at COMMIT.
 */
export async function loadRuleTables(tx: Queryable, rules: ReconRules): Promise<void> {
  const partners = Object.entries(rules.partners);
  const tables: Array<[string, string, unknown[]]> = [
    [
      'recon_formats',
      'format text, channel text, source text',
      FORMATS.map((f) => ({ format: f.name, channel: f.channel, source: FORMAT_EVIDENCE_SOURCE[f.name] })),
    ],
    [
      'recon_minor',
      'currency text, places integer',
      Object.entries(ISO_MINOR_UNITS).map(([currency, places]) => ({ currency, places })),
    ],
    [
      'recon_tolerance',
      'currency text, absolute numeric, relative numeric',
      Object.entries(rules.tolerance).map(([currency, t]) => ({ currency, ...t })),
    ],
    [
      'recon_priority',
      'currency text, p1 numeric, p2 numeric, p3 numeric, p4 numeric',
      Object.entries(rules.priority).map(([currency, [p1, p2, p3, p4]]) => ({ currency, p1, p2, p3, p4 })),
    ],
    [
      'recon_partner',
      'channel text, sla_hours integer, late_window_hours integer',
      partners.map(([channel, p]) => ({
        channel,
        sla_hours: p.slaHours,
        late_window_hours: p.lateWindowHours,
      })),
    ],
    [
      'recon_status',
      'channel text, status text, type text',
      partners.flatMap(([channel, p]) => [
        ...p.acceptedStatuses.map((status) => ({ channel, status, type: null })),
        ...Object.entries(p.statusTypes).map(([status, type]) => ({ channel, status, type })),
      ]),
    ],
    [
      'recon_listing_fee',
      'channel text, visibility text, rate numeric',
      partners.flatMap(([channel, p]) =>
        Object.entries(p.listingFee ?? {}).map(([visibility, rate]) => ({ channel, visibility, rate })),
      ),
    ],
    [
      'recon_settings',
      'suggestion_window_days integer, default_total_rule text',
      [{ suggestion_window_days: rules.suggestionWindowDays, default_total_rule: rules.defaultTotalRule }],
    ],
  ];
  for (const [name, columns, rows] of tables) {
    await tx.query(
      `CREATE TEMPORARY TABLE ${name} ON COMMIT DROP AS
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(${columns})`,
      [JSON.stringify(rows)],
    );
  }
  await tx.exec(`
    CREATE TEMPORARY TABLE recon_candidates (
      recon_key          text NOT NULL,
      period_bound       boolean NOT NULL,
      type               text NOT NULL,
      within             boolean NOT NULL,
      channel            text NOT NULL,
      partner_account    text NOT NULL,
      customer_id        text NOT NULL,
      customer_name      text NOT NULL,
      agreement_id       text NOT NULL,
      offer_id           text,
      product_code       text NOT NULL,
      dimension          text,
      partner_invoice_id text,
      payout_id          text,
      currency           text NOT NULL,
      expected           numeric NOT NULL,
      actual             numeric NOT NULL,
      refs               text[] NOT NULL
    ) ON COMMIT DROP;
    CREATE TEMPORARY TABLE recon_suggested (recon_key text NOT NULL, kind text NOT NULL, details jsonb NOT NULL)
      ON COMMIT DROP;`);
}
