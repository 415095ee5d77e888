import { useMemo, useRef } from 'react';
import { AgGridReact } from 'ag-grid-react';
import type { CellKeyDownEvent, ColDef, RowClickedEvent } from 'ag-grid-community';
import { HTMLSelect, InputGroup } from '@blueprintjs/core';
import { REVIEW_STATES, type ReviewSummary } from '@shared/api/qa-reviews';
import { EXCEPTION_TYPE_LABELS, type ExceptionType } from '@shared/exception-types';
import { gridTheme, registerGridModules } from '../../lib/grid';
import { formatDateTime } from '../../lib/format';
import { useCommands } from '../../commands/useCommands';
import { CommandKey } from '../../commands/CommandKey';
import { KIND_LABELS, REVIEW_STATE_LABELS, scoreText } from './qa-words';

registerGridModules();

export type ReviewState = (typeof REVIEW_STATES)[number];

const typeLabel = (type: string): string => EXCEPTION_TYPE_LABELS[type as ExceptionType] ?? type;

const COLUMNS: ColDef<ReviewSummary>[] = [
  { colId: 'exception', headerName: 'Exception', field: 'exceptionId', cellClass: 'ld-mono', width: 130 },
  { colId: 'type', headerName: 'Type', valueGetter: (p) => (p.data ? typeLabel(p.data.exceptionType) : '') },
  { colId: 'operator', headerName: 'Operator', field: 'operatorName' },
  {
    colId: 'kind',
    headerName: 'Kind',
    valueGetter: (p) => (p.data ? KIND_LABELS[p.data.kind] : ''),
    width: 110,
  },
  {
    colId: 'score',
    headerName: 'Score',
    valueGetter: (p) => (p.data ? scoreText(p.data.score) : ''),
    type: 'rightAligned',
    cellClass: 'ld-mono ld-num',
    width: 90,
  },
  {
    colId: 'created',
    headerName: 'Sampled',
    valueGetter: (p) => (p.data ? formatDateTime(p.data.createdAt) : ''),
    width: 150,
  },
];

const leaveGrid = (): false => false;

/**
 * The reviewer's sample (AG Grid, like the queue): one state at a time from the server, narrowed
 * here by exception id, operator or type as typed. Enter or a click opens the review.
 */
export function SampleInbox({
  reviews,
  state,
  search,
  onState,
  onSearch,
  onOpen,
}: {
  reviews: readonly ReviewSummary[];
  state: ReviewState;
  search: string;
  onState(state: ReviewState): void;
  onSearch(text: string): void;
  onOpen(id: string): void;
}) {
  const searchBox = useRef<HTMLInputElement>(null);
  useCommands({ 'qa.search': { perform: () => searchBox.current?.focus() } });
  const rows = useMemo(() => {
    const q = search.trim().toLowerCase();
    if (!q) return [...reviews];
    return reviews.filter((r) =>
      [r.exceptionId, r.operatorName, typeLabel(r.exceptionType)].some((t) => t.toLowerCase().includes(q)),
    );
  }, [reviews, search]);
  return (
    <div className="ld-qa-inbox">
      <div className="ld-qa-filters">
        <HTMLSelect
          aria-label="Review state"
          value={state}
          onChange={(e) => onState(e.currentTarget.value as ReviewState)}
          options={REVIEW_STATES.map((s) => ({ value: s, label: REVIEW_STATE_LABELS[s] }))}
        />
        <InputGroup
          inputRef={searchBox}
          type="search"
          leftIcon="search"
          aria-label="Search the sample"
          placeholder="Exception, operator or type"
          value={search}
          onValueChange={onSearch}
          onKeyDown={(e) => {
            // Down from the search box goes to the first row, as in the queue.
            if (e.key === 'ArrowDown' || e.key === 'Enter') {
              e.preventDefault();
              document.querySelector<HTMLElement>('.ld-qa-grid .ag-row[row-index="0"] .ag-cell')?.focus();
            }
          }}
          rightElement={<CommandKey id="qa.search" />}
        />
        <span className="ld-muted ld-small" data-testid="qa-total">
          {rows.length} {rows.length === 1 ? 'review' : 'reviews'}
        </span>
      </div>
      <div className="ld-qa-grid" role="region" aria-label="Sampled reviews" data-testid="qa-grid">
        <AgGridReact<ReviewSummary>
          theme={gridTheme}
          loadThemeGoogleFonts={false}
          rowData={rows}
          columnDefs={COLUMNS}
          defaultColDef={{ resizable: true, sortable: true, suppressHeaderMenuButton: true, flex: 1 }}
          getRowId={(p) => p.data.id}
          rowHeight={26}
          headerHeight={28}
          tabToNextCell={leaveGrid}
          tabToNextHeader={leaveGrid}
          onRowClicked={(e: RowClickedEvent<ReviewSummary>) => e.data && onOpen(e.data.id)}
          onCellKeyDown={(e: CellKeyDownEvent<ReviewSummary>) => {
            const key = (e.event as KeyboardEvent | null)?.key;
            if (key === 'Enter' && e.data) onOpen(e.data.id);
          }}
          overlayNoRowsTemplate="<span>No reviews here.</span>"
        />
      </div>
    </div>
  );
}
