import type { ReactNode } from 'react';
import { H3, Tag } from '@blueprintjs/core';
import type { LocalException } from '@shared/exception';
import { CHANNEL_LABELS } from '@shared/exception-types';
import { STATUS_LABELS } from '@shared/exception-status';
import { useClock } from '../state/ui';
import {
  STATUS_INTENT,
  formatDate,
  formatDateTime,
  formatSla,
  isNegativeAmount,
  slaLevel,
} from '../lib/format';
import { formatAmount, formatAmountFull } from '../lib/money-format';
import { personName } from '../lib/person-name';
import { useSession } from '../state/session';
import { useTeam } from '../features/team/team-state';
import { EvidenceSection } from './EvidenceSection';

/**
 * Element Timing (a standard web API) reports when this text is first painted, so a benchmark
 * can time opening an item as the user sees it. React passes the attribute through unchanged.
 */
const PAINT_MARK = { elementtiming: 'ld-record' } as Record<string, string>;

/** The exception itself: status, SLA, amounts, match keys and evidence (drawer and workspace). */
function Field({ label, children, mono }: { label: string; children: ReactNode; mono?: boolean }) {
  return (
    <div className="ld-field">
      <dt>{label}</dt>
      <dd className={mono ? 'ld-mono' : undefined}>{children ?? '—'}</dd>
    </div>
  );
}

export function RecordView({ record }: { record: LocalException }) {
  const now = useClock((s) => s.now);
  const level = slaLevel(record.slaDueAt, now);
  const names = useTeam((s) => s.names);
  const self = useSession((s) => s.session?.user);

  return (
    <div className="ld-record">
      <div className="ld-record-head">
        <Tag intent={STATUS_INTENT[record.status]} minimal>
          {STATUS_LABELS[record.status]}
        </Tag>
        <Tag minimal>{CHANNEL_LABELS[record.channel]}</Tag>
        <span className={`ld-prio ld-prio-${record.priority}`}>P{record.priority}</span>
        <span className={`ld-sla ld-sla-${level}`}>
          <span className="ld-sla-dot" aria-hidden="true" />
          SLA {formatSla(record.slaDueAt, now)} · due {formatDateTime(record.slaDueAt)}
        </span>
        <span
          className="ld-muted ld-small ld-record-version"
          title={`Record version ${record.version}: it goes up each time the exception changes`}
        >
          v{record.version}
        </span>
      </div>

      <section aria-labelledby="amounts-h" className="ld-amounts">
        <H3 id="amounts-h" className="ld-visually-hidden">
          Amounts
        </H3>
        <div className="ld-amount">
          <div className="ld-amount-label">Expected</div>
          <div className="ld-amount-value ld-mono" title={formatAmountFull(record.expected)}>
            {formatAmount(record.expected)}
          </div>
        </div>
        <div className="ld-amount">
          <div className="ld-amount-label">Actual</div>
          <div className="ld-amount-value ld-mono" title={formatAmountFull(record.actual)}>
            {formatAmount(record.actual)}
          </div>
        </div>
        <div className="ld-amount">
          <div className="ld-amount-label">Variance</div>
          <div
            className={`ld-amount-value ld-mono${isNegativeAmount(record.variance.amount) ? ' ld-neg' : ''}`}
            title={formatAmountFull(record.variance)}
            {...PAINT_MARK}
          >
            {formatAmount(record.variance)}
          </div>
        </div>
      </section>

      <section aria-labelledby="keys-h">
        <H3 id="keys-h" className="ld-section-h">
          Match keys
        </H3>
        <dl className="ld-fields">
          <Field label="Customer">
            {record.customerName} <span className="ld-muted ld-mono">{record.customerId}</span>
          </Field>
          <Field label="Partner account" mono>
            {record.partnerAccountId}
          </Field>
          <Field label="Agreement" mono>
            {record.agreementId}
          </Field>
          <Field label="Offer" mono>
            {record.offerId}
          </Field>
          <Field label="Product" mono>
            {record.productCode}
          </Field>
          <Field label="Dimension" mono>
            {record.dimension}
          </Field>
          <Field label="Usage period">
            {formatDate(record.periodStart)} – {formatDate(record.periodEnd)}
          </Field>
          <Field label="Partner invoice" mono>
            {record.partnerInvoiceId}
          </Field>
          <Field label="Payout" mono>
            {record.payoutId}
          </Field>
          <Field label="Assignee">
            {record.assigneeId ? personName(record.assigneeId, names, self) : null}
          </Field>
          <Field label="Opened">{formatDateTime(record.openedAt)}</Field>
          <Field label="Updated">{formatDateTime(record.updatedAt)}</Field>
        </dl>
      </section>

      <EvidenceSection
        exceptionId={record.id}
        evidence={record.evidence}
        currency={record.expected.currency}
      />
    </div>
  );
}
