import { Tag } from '@blueprintjs/core';
import type { CustomCellRendererProps } from 'ag-grid-react';
import type { ExceptionSummary } from '@shared/exception';
import { STATUS_LABELS } from '@shared/exception-status';
import { useClock } from '../../state/ui';
import { STATUS_INTENT, formatDateTimeZoned, formatSla, slaLevel } from '../../lib/format';

type Props = CustomCellRendererProps<ExceptionSummary>;

export function StatusCell({ data }: Props) {
  if (!data) return null;
  return (
    <Tag minimal intent={STATUS_INTENT[data.status]} className="ld-status-tag">
      {STATUS_LABELS[data.status]}
    </Tag>
  );
}

export function SlaCell({ data }: Props) {
  const now = useClock((s) => s.now);
  if (!data) return null;
  const level = slaLevel(data.slaDueAt, now);
  return (
    // A native title, not a Blueprint Tooltip: one popover per visible cell would be wasteful.
    <span className={`ld-sla ld-sla-${level}`} title={`Due ${formatDateTimeZoned(data.slaDueAt)}`}>
      <span className="ld-sla-dot" aria-hidden="true" />
      {formatSla(data.slaDueAt, now)}
    </span>
  );
}

export function PriorityCell({ data }: Props) {
  if (!data) return null;
  return <span className={`ld-prio ld-prio-${data.priority}`}>P{data.priority}</span>;
}

export function IdCell({ data }: Props) {
  if (!data) return <span className="ld-skeleton" aria-hidden="true" />;
  return <span className="ld-mono">{data.id}</span>;
}
