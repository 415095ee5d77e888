import { useMemo } from 'react';
import { AgGridReact } from 'ag-grid-react';
import type { ColDef } from 'ag-grid-community';
import type { Evidence } from '@shared/exception';
import { gridTheme, registerGridModules } from '../lib/grid';
import { formatDateLike, formatDateTime, formatDateTimeZoned, timeZoneLabel } from '../lib/format';
import { isMoneyColumn, isNumericColumn, readableHeader, rowCurrency } from '../lib/evidence-columns';
import { formatAmount } from '../lib/money-format';

registerGridModules();

const ROW_H = 26;
const HEADER_H = 28;
const SCROLLBAR_H = 14;
const MAX_VISIBLE_ROWS = 8;
// Column widths come from the text length: AG Grid's fitCellContents measures every cell in the
// DOM, which cost more than the rest of opening an item. Cells are 12 px (mono ~7.3 px a character).
const CHAR_PX = 7.3;
const CELL_PADDING_PX = 26;
const MIN_COL_PX = 90;
const MAX_COL_PX = 340;

function widthFor(texts: Iterable<string>): number {
  let chars = 0;
  for (const t of texts) chars = Math.max(chars, t.length);
  return Math.round(Math.min(MAX_COL_PX, Math.max(MIN_COL_PX, chars * CHAR_PX + CELL_PADDING_PX)));
}

const leaveGrid = (): false => false;

/** A cell as a person reads it: money with its currency, dates in the app's format, else as sent. */
function shownValue(raw: string, money: boolean, currency: string | null): string {
  if (raw === '') return '';
  // Partner lines keep every decimal they carry (usage lines need them), at least the minor unit.
  if (money && currency) return formatAmount({ amount: raw, currency }, { line: true });
  return formatDateLike(raw);
}

/**
 * The rows of one evidence source. Headers are in words ("Billing event ID"), with the partner's
 * own column name in the tooltip; names can hold spaces and dots ("Customer Billed Amount"), so
 * columns read the field by key (valueGetter) rather than as an AG Grid field path.
 */
export function EvidenceGrid({
  rows,
  label,
  currency,
}: {
  rows: Evidence[];
  label: string;
  currency: string;
}) {
  const columnDefs = useMemo<ColDef<Evidence>[]>(() => {
    const names: string[] = [];
    const seen = new Set<string>();
    for (const r of rows) {
      for (const k of Object.keys(r.fields)) {
        if (!seen.has(k)) {
          seen.add(k);
          names.push(k);
        }
      }
    }
    return [
      {
        colId: '__reference',
        headerName: 'Reference',
        valueGetter: (p) => p.data?.reference ?? '',
        pinned: 'left',
        cellClass: 'ld-mono',
        width: widthFor(['Reference', ...rows.map((r) => r.reference)]),
      },
      {
        colId: '__received',
        headerName: 'Received',
        headerTooltip: `When it reached us, in ${timeZoneLabel()}`,
        valueGetter: (p) => (p.data ? formatDateTime(p.data.receivedAt) : ''),
        tooltipValueGetter: (p) => (p.data ? formatDateTimeZoned(p.data.receivedAt) : undefined),
        width: 140,
      },
      ...names.map<ColDef<Evidence>>((name) => {
        const values = rows.map((r) => r.fields[name] ?? '');
        const money = isMoneyColumn(name, values);
        const numeric = money || isNumericColumn(values);
        const header = readableHeader(name);
        // A column named for its currency ("earningAmountUSD") is in it; else the row's own
        // Currency column; else the exception's currency, which the partner row settles.
        const named = /USD$/.test(name) ? 'USD' : null;
        const currencyOf = (fields: Readonly<Record<string, string>>) =>
          named ?? rowCurrency(fields) ?? currency;
        const shown = rows.map((r) => shownValue(r.fields[name] ?? '', money, currencyOf(r.fields)));
        return {
          colId: `f:${name}`,
          headerName: header,
          headerTooltip: header === name ? name : `${header} (partner column: ${name})`,
          valueGetter: (p) =>
            p.data ? shownValue(p.data.fields[name] ?? '', money, currencyOf(p.data.fields)) : '',
          // The value exactly as the partner sent it, for a cut-off cell or a converted one.
          tooltipValueGetter: (p) => p.data?.fields[name] || undefined,
          cellClass: numeric ? 'ld-mono ld-num' : 'ld-mono',
          type: numeric ? 'rightAligned' : undefined,
          minWidth: MIN_COL_PX,
          width: widthFor([header, ...shown]),
        };
      }),
    ];
  }, [rows, currency]);

  return (
    // A fixed height from the row count (autoHeight keeps a tall empty minimum); long lists scroll.
    <div
      className="ld-evidence-grid"
      aria-label={`${label} evidence rows`}
      role="region"
      style={{ height: HEADER_H + Math.min(rows.length, MAX_VISIBLE_ROWS) * ROW_H + SCROLLBAR_H + 2 }}
    >
      <AgGridReact<Evidence>
        theme={gridTheme}
        loadThemeGoogleFonts={false}
        rowData={rows}
        columnDefs={columnDefs}
        defaultColDef={{ resizable: true, sortable: false, suppressHeaderMenuButton: true }}
        rowHeight={ROW_H}
        headerHeight={HEADER_H}
        getRowId={(p) => p.data.id}
        // One Tab stop: Tab and Shift+Tab leave the grid (arrow keys move inside), instead of
        // walking every cell of every evidence source on the way to the checklist.
        tabToNextCell={leaveGrid}
        tabToNextHeader={leaveGrid}
        enableCellTextSelection
        suppressDragLeaveHidesColumns
      />
    </div>
  );
}
