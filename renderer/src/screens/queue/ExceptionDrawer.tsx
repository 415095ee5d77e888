import { useEffect, useMemo, useState, type ReactNode } from 'react';
import {
  Button,
  Callout,
  Classes,
  Drawer,
  H2,
  H3,
  Icon,
  NonIdealState,
  Spinner,
  Tag,
} from '@blueprintjs/core';
import type { Evidence, ExceptionRecord } from '../../../../shared/exception';
import { CHANNEL_LABELS, EXCEPTION_TYPE_LABELS } from '../../../../shared/exception-types';
import { STATUS_LABELS } from '../../../../shared/exception-status';
import { formatMoney } from '../../../../shared/money';
import { call, describeError } from '../../bridge';
import { useClock } from '../../state/ui';
import {
  STATUS_INTENT,
  formatDate,
  formatDateTime,
  formatSla,
  isNegativeAmount,
  slaLevel,
} from '../../lib/format';
import { EVIDENCE_SOURCE_LABELS } from '../../lib/labels';
import { EvidenceGrid } from './EvidenceGrid';

/** The last answer, tagged with the id it answers; anything else for the open id means "loading". */
type Loaded =
  { id: string; state: 'error'; message: string } | { id: string; state: 'ready'; record: ExceptionRecord };

interface Props {
  id: string | null;
  onClose(): void;
  onClosed(): void;
}

export function ExceptionDrawer({ id, onClose, onClosed }: Props) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);

  useEffect(() => {
    if (!id) return;
    let cancelled = false;
    call('exception.get', { id })
      .then((record) => {
        if (!cancelled) setLoaded({ id, state: 'ready', record });
      })
      .catch((e: unknown) => {
        if (!cancelled) setLoaded({ id, state: 'error', message: describeError(e) });
      });
    return () => {
      cancelled = true;
    };
  }, [id]);

  const current = loaded && loaded.id === id ? loaded : null;
  const record = current?.state === 'ready' ? current.record : null;

  // Blueprint's Drawer renders no dialog role, so the content carries it (labelled by the title).
  return (
    <Drawer
      isOpen={id !== null}
      onClose={onClose}
      onClosed={onClosed}
      size="min(980px, 72%)"
      position="right"
      className="ld-drawer"
      canOutsideClickClose
    >
      <div
        className="ld-drawer-inner"
        role="dialog"
        aria-modal="true"
        aria-labelledby="exception-drawer-title"
      >
        <div className={Classes.DRAWER_HEADER}>
          <Icon icon="document" size={16} />
          <H2 id="exception-drawer-title" className="ld-drawer-title">
            <span className="ld-mono">{id}</span>
            {record && <span className="ld-muted"> · {EXCEPTION_TYPE_LABELS[record.type]}</span>}
          </H2>
          <Button
            aria-label="Close"
            className={Classes.DIALOG_CLOSE_BUTTON}
            icon="cross"
            variant="minimal"
            onClick={onClose}
          />
        </div>
        <div className={`${Classes.DRAWER_BODY} ld-drawer-body`} data-testid="exception-drawer">
          {id && !current && (
            <NonIdealState icon={<Spinner size={24} aria-label="Loading exception" />} title="Loading…" />
          )}
          {current?.state === 'error' && (
            <Callout intent="danger" title={`Could not open ${id ?? ''}`} role="alert">
              {current.message}
            </Callout>
          )}
          {record && <RecordView record={record} />}
        </div>
        <div className={Classes.DRAWER_FOOTER}>
          <span className="ld-muted ld-small">
            <kbd>Esc</kbd> closes · the SOP checklist for this exception will open here when the workspace
            ships
          </span>
        </div>
      </div>
    </Drawer>
  );
}

function Field({ label, children, mono }: { label: string; children: ReactNode; mono?: boolean }) {
  return (
    <div className="ld-field">
      <dt>{label}</dt>
      <dd className={mono ? 'ld-mono' : undefined}>{children ?? '—'}</dd>
    </div>
  );
}

function RecordView({ record }: { record: ExceptionRecord }) {
  const now = useClock((s) => s.now);
  const level = slaLevel(record.slaDueAt, now);
  const groups = useMemo(() => {
    const m = new Map<Evidence['source'], Evidence[]>();
    for (const e of record.evidence) {
      const list = m.get(e.source) ?? [];
      list.push(e);
      m.set(e.source, list);
    }
    return [...m.entries()];
  }, [record.evidence]);

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
        <span className="ld-muted ld-small ld-record-version">v{record.version}</span>
      </div>

      <section aria-labelledby="amounts-h" className="ld-amounts">
        <H3 id="amounts-h" className="ld-visually-hidden">
          Amounts
        </H3>
        <div className="ld-amount">
          <div className="ld-amount-label">Expected</div>
          <div className="ld-amount-value ld-mono">{formatMoney(record.expected)}</div>
        </div>
        <div className="ld-amount">
          <div className="ld-amount-label">Actual</div>
          <div className="ld-amount-value ld-mono">{formatMoney(record.actual)}</div>
        </div>
        <div className="ld-amount">
          <div className="ld-amount-label">Variance</div>
          <div
            className={`ld-amount-value ld-mono${isNegativeAmount(record.variance.amount) ? ' ld-neg' : ''}`}
          >
            {formatMoney(record.variance)}
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
          <Field label="Assignee" mono>
            {record.assigneeId}
          </Field>
          <Field label="Opened">{formatDateTime(record.openedAt)}</Field>
          <Field label="Updated">{formatDateTime(record.updatedAt)}</Field>
        </dl>
      </section>

      <section aria-labelledby="evidence-h">
        <H3 id="evidence-h" className="ld-section-h">
          Evidence{' '}
          <span className="ld-muted ld-small">
            {record.evidence.length} {record.evidence.length === 1 ? 'row' : 'rows'}
          </span>
        </H3>
        {groups.length === 0 ? (
          <Callout compact>No evidence rows are attached to this exception.</Callout>
        ) : (
          groups.map(([source, rows]) => (
            <div key={source} className="ld-evidence-group">
              <div className="ld-evidence-head">
                {EVIDENCE_SOURCE_LABELS[source]} <span className="ld-muted ld-small">· {rows.length}</span>
              </div>
              <EvidenceGrid rows={rows} label={EVIDENCE_SOURCE_LABELS[source]} />
            </div>
          ))
        )}
      </section>
    </div>
  );
}
