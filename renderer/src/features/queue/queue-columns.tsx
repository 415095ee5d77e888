import type { ColDef, RowSelectionOptions, SelectionColumnDef } from 'ag-grid-community';
import type { ExceptionSummary } from '@shared/exception';
import { EXCEPTION_TYPE_LABELS } from '@shared/exception-types';
import type { QueueSort } from '@shared/ipc/channels';
import { CHANNEL_SHORT, formatPeriod, isNegativeAmount } from '../../lib/format';
import { formatAmount, formatAmountFull } from '../../lib/money-format';
import { IdCell, PriorityCell, SlaCell, StatusCell } from './cells';

/** The queue grid's columns, its selection column and which headers sort (QueueGrid uses them). */

// No header checkbox: the infinite model cannot select rows it has not loaded; Ctrl+A selects
// the loaded ones instead (see onCellKeyDown).
export const TEAM_SELECTION: RowSelectionOptions<ExceptionSummary> = {
  mode: 'multiRow',
  checkboxes: true,
  headerCheckbox: false,
  enableClickSelection: false,
};
export const SELECTION_COLUMN: SelectionColumnDef = {
  pinned: 'left',
  width: 34,
  minWidth: 34,
  maxWidth: 34,
  resizable: false,
  suppressMovable: true,
  headerTooltip: 'Select rows: Space toggles the focused row, Ctrl+A selects the loaded rows',
  // Read by screen readers (axe empty-table-header); hidden on screen, where the column is 34 px.
  headerName: 'Select',
  headerClass: 'ld-header-label-hidden',
};

/**
 * Which column headers sort, and the store order each one asks for: only the orders an index
 * of the local store serves (or, for variance, sorts within the filter's rows). `natural` is the
 * direction of the order as the store defines it; a second click reverses it.
 */
export const HEADER_SORTS: Readonly<Record<string, { sort: QueueSort; natural: 'asc' | 'desc' }>> = {
  priority: { sort: 'priority_sla', natural: 'asc' },
  sla: { sort: 'sla_due', natural: 'asc' },
  variance: { sort: 'variance_desc', natural: 'desc' },
};

/** The sorts a header shows; any other (opened, updated) leaves every header unsorted. */
export const SORT_OF_HEADER: Readonly<Record<string, true>> = Object.fromEntries(
  Object.values(HEADER_SORTS).map((h) => [h.sort, true]),
);

const moneyCol = (key: 'expected' | 'actual' | 'variance', headerName: string): ColDef<ExceptionSummary> => ({
  colId: key,
  headerName,
  // Widths add up so that ID to Variance fit a 1366-pixel screen beside the navigation, with a
  // lead's selection column too; a longer amount is cut and its tooltip holds it.
  width: 126,
  type: 'rightAligned',
  // Exact strings at the currency's minor unit; the amount is never turned into a JS number.
  valueGetter: (p) => (p.data ? formatAmount(p.data[key]) : ''),
  // Every decimal the amount carries: a rounded or cut-off cell shows its full value on hover.
  tooltipValueGetter: (p) => (p.data ? formatAmountFull(p.data[key]) : undefined),
  cellClass: 'ld-mono ld-money ld-num',
  cellClassRules:
    key === 'variance'
      ? { 'ld-neg': (p) => !!p.data && isNegativeAmount(p.data.variance.amount) }
      : undefined,
  ...(key === 'variance'
    ? {
        sortable: true,
        // Largest first on the first click: the store's order for this column.
        sortingOrder: ['desc', 'asc'] as const,
        headerTooltip:
          'Sorts within each currency (currencies A-Z, then the largest variance first); amounts in different currencies are never compared as raw numbers.',
      }
    : {}),
});

// Most-scanned first: what it is, how urgent, how much; the match keys after.
export const columnDefs: ColDef<ExceptionSummary>[] = [
  { colId: 'id', headerName: 'ID', field: 'id', width: 96, pinned: 'left', cellRenderer: IdCell },
  {
    colId: 'priority',
    headerName: 'Pri',
    headerTooltip: 'Priority (1 is most urgent); sorts by priority, then SLA due',
    width: 56,
    sortable: true,
    field: 'priority',
    cellRenderer: PriorityCell,
  },
  {
    colId: 'sla',
    headerName: 'SLA due',
    width: 118,
    field: 'slaDueAt',
    cellRenderer: SlaCell,
    sortable: true,
  },
  { colId: 'status', headerName: 'Status', width: 118, field: 'status', cellRenderer: StatusCell },
  {
    colId: 'type',
    headerName: 'Type',
    width: 136,
    valueGetter: (p) => (p.data ? EXCEPTION_TYPE_LABELS[p.data.type] : ''),
  },
  {
    colId: 'channel',
    headerName: 'Channel',
    width: 70,
    valueGetter: (p) => (p.data ? CHANNEL_SHORT[p.data.channel] : ''),
  },
  {
    colId: 'customer',
    headerName: 'Customer',
    width: 150,
    valueGetter: (p) => p.data?.customerName ?? '',
    tooltipValueGetter: (p) => (p.data ? `${p.data.customerName} (${p.data.customerId})` : undefined),
  },
  moneyCol('expected', 'Expected'),
  moneyCol('actual', 'Actual'),
  moneyCol('variance', 'Variance'),
  {
    colId: 'partnerAccount',
    headerName: 'Partner account',
    width: 118,
    field: 'partnerAccountId',
    cellClass: 'ld-mono',
    tooltipField: 'partnerAccountId',
  },
  {
    colId: 'agreement',
    headerName: 'Agreement',
    width: 118,
    field: 'agreementId',
    cellClass: 'ld-mono',
    tooltipField: 'agreementId',
  },
  {
    colId: 'period',
    headerName: 'Period',
    width: 132,
    valueGetter: (p) => (p.data ? formatPeriod(p.data.periodStart, p.data.periodEnd) : ''),
    cellClass: 'ld-mono',
  },
];

/** The holder by name (never the internal user id). */
export const assigneeCol = (nameOf: (id: string) => string): ColDef<ExceptionSummary> => ({
  colId: 'assignee',
  headerName: 'Assignee',
  width: 130,
  minWidth: 90,
  flex: 1,
  valueGetter: (p) => {
    const id = p.data?.assigneeId;
    return id ? nameOf(id) : '—';
  },
  tooltipValueGetter: (p) => (p.data?.assigneeId ? nameOf(p.data.assigneeId) : 'Nobody holds it yet'),
});

export const defaultColDef: ColDef<ExceptionSummary> = {
  // The local store sorts, never the grid; only the columns of HEADER_SORTS turn sorting on.
  sortable: false,
  sortingOrder: ['asc', 'desc'],
  resizable: true,
  suppressMovable: false,
  suppressHeaderMenuButton: true,
};
