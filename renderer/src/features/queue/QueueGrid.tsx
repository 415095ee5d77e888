import { forwardRef, useCallback, useEffect, useImperativeHandle, useMemo, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { AgGridReact } from 'ag-grid-react';
import type {
  CellKeyDownEvent,
  FullWidthCellKeyDownEvent,
  GetRowIdParams,
  GridApi,
  IDatasource,
  IGetRowsParams,
  RowDoubleClickedEvent,
  SelectionChangedEvent,
  SortChangedEvent,
} from 'ag-grid-community';
import { NonIdealState } from '@blueprintjs/core';
import type { ExceptionSummary } from '@shared/exception';
import type { QueueQuery, QueueSort } from '@shared/ipc/channels';
import { call, describeError } from '../../bridge';
import { useQueueView } from './queue-state';
import { gridTheme, registerGridModules } from '../../lib/grid';
import { personName } from '../../lib/person-name';
import { useSession } from '../../state/session';
import { prefetchRecord } from '../../exception-views/record-prefetch';
import {
  TEAM_SELECTION,
  SELECTION_COLUMN,
  HEADER_SORTS,
  SORT_OF_HEADER,
  columnDefs,
  assigneeCol,
  defaultColDef,
} from './queue-columns';

registerGridModules();

const BLOCK = 200; // queue.list allows up to 500 per call

export interface QueueGridHandle {
  focusFirst(): void;
  restoreFocus(): void;
  /** Drops these rows from the selection (the ones a team action finished). */
  deselect(ids: readonly string[]): void;
}

/** What a lead's grid adds: names for the Assignee column and row selection for team actions. */
export interface QueueGridTeam {
  names: ReadonlyMap<string, string>;
  onSelectionChange(rows: ExceptionSummary[]): void;
}

interface Props {
  query: Omit<QueueQuery, 'offset' | 'limit'>;
  revision: number;
  /** A sortable column header was clicked: the sort it asks for, and whether backwards. */
  onSort(sort: QueueSort, reverse: boolean): void;
  onOpen(id: string): void;
  /** Leads and admins only; without it the grid selects nothing. */
  team?: QueueGridTeam | undefined;
}

/** The row and column of the grid's focused cell (none in a header or a pinned row). */
function focusedRow(
  api: GridApi<ExceptionSummary> | null,
): { data: ExceptionSummary | undefined; rowIndex: number; colId: string } | null {
  const focused = api?.getFocusedCell();
  if (!api || !focused || focused.rowPinned) return null;
  return {
    data: api.getDisplayedRowAtIndex(focused.rowIndex)?.data,
    rowIndex: focused.rowIndex,
    colId: focused.column.getColId(),
  };
}

/**
 * The row focus was on when the grid last had it, kept across the grid's unmounts: switching to
 * another screen and back (Ctrl+2, Ctrl+1) lands on the same row, not on row 1.
 */
let rememberedFocus: { rowIndex: number; colId: string } | null = null;
/** Sign-out: the next user starts at the top. */
export function forgetQueueFocus(): void {
  rememberedFocus = null;
}

export const QueueGrid = forwardRef<QueueGridHandle, Props>(function QueueGrid(
  { query, revision, onSort, onOpen, team },
  ref,
) {
  const apiRef = useRef<GridApi<ExceptionSummary> | null>(null);
  const teamRef = useRef(team);
  teamRef.current = team;
  const selectable = team !== undefined;
  // Built once: the name lookup reads the latest team through the ref, and a names change only
  // re-renders the Assignee cells (below) instead of resetting every column.
  const columns = useMemo(() => {
    const assignee = assigneeCol((id) =>
      personName(id, teamRef.current?.names ?? new Map(), useSession.getState().session?.user),
    );
    if (!selectable) return [...columnDefs, assignee];
    // Who holds what is the point of a lead's view: next to the status, not past the match keys.
    const at = columnDefs.findIndex((c) => c.colId === 'status') + 1;
    return [...columnDefs.slice(0, at), { ...assignee, flex: undefined }, ...columnDefs.slice(at)];
  }, [selectable]);
  const names = team?.names;
  useEffect(() => {
    apiRef.current?.refreshCells({ columns: ['assignee'], force: true });
  }, [names]);
  const lastFocus = useRef<{ rowIndex: number; colId: string } | null>(rememberedFocus);
  const [error, setError] = useState<string | null>(null);
  const total = useQueueView((s) => s.total);
  const setTotal = useQueueView((s) => s.setTotal);
  const firstLoad = useRef(true);

  const generation = useRef(0);
  const inFlight = useRef(0);
  const refreshPending = useRef(false);

  // Refresh the cached blocks; if a block is still loading, its answer may predate the change,
  // so wait for the loads to settle and refresh once more then.
  const refreshCache = useCallback(() => {
    if (inFlight.current > 0) {
      refreshPending.current = true;
      return;
    }
    refreshPending.current = false;
    apiRef.current?.refreshInfiniteCache();
  }, []);

  const datasource = useMemo<IDatasource>(() => {
    const gen = ++generation.current;
    return {
      getRows(params: IGetRowsParams) {
        const limit = Math.min(500, params.endRow - params.startRow);
        inFlight.current += 1;
        call('queue.list', { ...query, offset: params.startRow, limit })
          .finally(() => {
            inFlight.current -= 1;
            if (inFlight.current === 0 && refreshPending.current) setTimeout(refreshCache, 0);
          })
          .then((page) => {
            params.successCallback(page.rows, page.total);
            if (gen !== generation.current) return; // an answer for a filter no longer shown
            setTotal(page.total);
            setError(null);
            if (firstLoad.current && page.rows.length > 0) {
              firstLoad.current = false;
              // Land the keyboard in the grid (on the row it was on before a screen switch) when
              // nothing else has focus yet: the page, or the main region a screen switch focused.
              const active = document.activeElement;
              if (active === document.body || (active instanceof HTMLElement && active.id === 'main'))
                focusCell(lastFocus.current?.rowIndex ?? 0, lastFocus.current?.colId ?? 'id');
            }
          })
          .catch((e: unknown) => {
            params.failCallback();
            if (gen === generation.current) setError(describeError(e));
          });
      },
    };
  }, [query, setTotal, refreshCache]);

  useEffect(() => {
    setTotal(null);
    // A new filter shows other rows: a selection made under the old one would act on hidden items.
    const api = apiRef.current;
    if (api) api.setNodesSelected({ nodes: api.getSelectedNodes(), newValue: false });
  }, [datasource, setTotal]);

  // A store change re-reads the cached blocks in place (keeps scroll position and focus).
  const firstRevision = useRef(revision);
  useEffect(() => {
    if (revision === firstRevision.current) return;
    refreshCache();
  }, [revision, refreshCache]);

  /** The rows the grid holds in its cache (the ones scrolled through), never the whole queue. */
  function selectLoadedRows() {
    const api = apiRef.current;
    if (!api) return;
    const nodes: NonNullable<ReturnType<typeof api.getRowNode>>[] = [];
    api.forEachNode((n) => {
      if (n.data) nodes.push(n);
    });
    api.setNodesSelected({ nodes, newValue: true });
  }

  function focusCell(rowIndex: number, colId: string) {
    const api = apiRef.current;
    if (!api) return;
    api.ensureIndexVisible(rowIndex);
    api.setFocusedCell(rowIndex, colId);
  }

  useImperativeHandle(ref, () => ({
    focusFirst: () => focusCell(lastFocus.current?.rowIndex ?? 0, lastFocus.current?.colId ?? 'id'),
    restoreFocus: () => {
      if (lastFocus.current) focusCell(lastFocus.current.rowIndex, lastFocus.current.colId);
    },
    deselect: (ids) => {
      const api = apiRef.current;
      if (!api) return;
      const drop = new Set(ids);
      const nodes = api.getSelectedNodes().filter((n) => n.data && drop.has(n.data.id));
      api.setNodesSelected({ nodes, newValue: false });
    },
  }));

  const openRow = useCallback(
    (data: ExceptionSummary | undefined, rowIndex: number | null, colId: string) => {
      if (!data) return;
      if (rowIndex !== null) lastFocus.current = rememberedFocus = { rowIndex, colId };
      // From a double-click (an AG Grid event, not a React one) React would schedule this render
      // as default-priority work behind the grid's own frames; the user acted, so render now.
      flushSync(() => onOpen(data.id));
    },
    [onOpen],
  );

  // The focused row's record is fetched as soon as focus lands on it (the grid's own
  // onCellFocused arrives a task later), so Enter usually finds it already here.
  const onFocus = useCallback(() => {
    const focused = focusedRow(apiRef.current);
    if (!focused) return;
    lastFocus.current = rememberedFocus = { rowIndex: focused.rowIndex, colId: focused.colId };
    if (focused.data) void prefetchRecord(focused.data.id).catch(() => undefined);
  }, []);

  // Ctrl+A comes after the grid's own handling (which prevents the page's select-all and cannot
  // select rows the infinite model never loaded): select the loaded ones.
  const onCellKeyDown = useCallback(
    (e: CellKeyDownEvent<ExceptionSummary> | FullWidthCellKeyDownEvent<ExceptionSummary>) => {
      const ev = e.event;
      if (!(ev instanceof KeyboardEvent)) return;
      if (selectable && (ev.ctrlKey || ev.metaKey) && ev.key.toLowerCase() === 'a') selectLoadedRows();
    },
    [selectable],
  );

  // Enter is read here, not in onCellKeyDown: AG Grid hands its grid events to React a task
  // later (setTimeout), behind whatever the grid has queued; opening must start on the key.
  const onKeyDown = useCallback(
    (ev: React.KeyboardEvent<HTMLDivElement>) => {
      if (ev.key !== 'Enter' || ev.altKey || ev.ctrlKey || ev.metaKey || ev.shiftKey) return;
      if (!(ev.target instanceof HTMLElement) || !ev.target.closest('.ag-row')) return;
      const focused = focusedRow(apiRef.current);
      if (!focused) return;
      ev.preventDefault();
      openRow(focused.data, focused.rowIndex, focused.colId);
    },
    [openRow],
  );

  // The header arrow shows the store's order, whoever chose it (the Sort select, a saved view).
  const shownSort = useCallback(() => {
    const api = apiRef.current;
    if (!api) return;
    const state = Object.entries(HEADER_SORTS).map(([colId, h]) => {
      if (h.sort !== query.sort) return { colId, sort: null };
      const flipped = h.natural === 'asc' ? 'desc' : 'asc';
      return { colId, sort: query.reverse ? flipped : h.natural };
    });
    api.applyColumnState({ state });
  }, [query.sort, query.reverse]);
  useEffect(shownSort, [shownSort]);

  const onSortRef = useRef(onSort);
  onSortRef.current = onSort;
  const queryRef = useRef(query);
  queryRef.current = query;
  // Any sort change that differs from the query came from the user (a header click): the
  // applyColumnState above only ever shows the query's own order.
  const onSortChanged = useCallback((e: SortChangedEvent<ExceptionSummary>) => {
    const sorted = e.api.getColumnState().find((c) => c.sort && HEADER_SORTS[c.colId]);
    const header = sorted ? HEADER_SORTS[sorted.colId] : undefined;
    const next = header && sorted ? { sort: header.sort, reverse: sorted.sort !== header.natural } : null;
    const current = queryRef.current;
    const sort = current.sort ?? 'priority_sla';
    if (next && next.sort === sort && next.reverse === (current.reverse === true)) return;
    // A header sort cleared: back to the queue's default order.
    if (!next) {
      if (sort in SORT_OF_HEADER) onSortRef.current('priority_sla', false);
      return;
    }
    onSortRef.current(next.sort, next.reverse);
  }, []);

  const onSelectionChanged = useCallback(
    (e: SelectionChangedEvent<ExceptionSummary>) =>
      teamRef.current?.onSelectionChange(e.api.getSelectedRows()),
    [],
  );

  const onRowDoubleClicked = useCallback(
    (e: RowDoubleClickedEvent<ExceptionSummary>) => openRow(e.data, e.rowIndex, 'id'),
    [openRow],
  );

  const getRowId = useCallback((p: GetRowIdParams<ExceptionSummary>) => p.data.id, []);

  return (
    <div className="ld-grid-wrap" data-testid="queue-grid" onKeyDown={onKeyDown} onFocus={onFocus}>
      {error && (
        <div className="ld-grid-overlay" role="alert">
          <NonIdealState icon="error" title="Could not read the queue" description={error} />
        </div>
      )}
      {!error && total === 0 && (
        <div className="ld-grid-overlay">
          <NonIdealState
            icon="inbox-search"
            title="No exceptions match"
            description="Clear a filter or the search to see more."
          />
        </div>
      )}
      <AgGridReact<ExceptionSummary>
        theme={gridTheme}
        loadThemeGoogleFonts={false}
        rowModelType="infinite"
        datasource={datasource}
        cacheBlockSize={BLOCK}
        maxBlocksInCache={25}
        maxConcurrentDatasourceRequests={2}
        infiniteInitialRowCount={50}
        blockLoadDebounceMillis={60}
        rowBuffer={15}
        columnDefs={columns}
        defaultColDef={defaultColDef}
        rowSelection={selectable ? TEAM_SELECTION : undefined}
        selectionColumnDef={SELECTION_COLUMN}
        onSelectionChanged={onSelectionChanged}
        getRowId={getRowId}
        onGridReady={(e) => {
          apiRef.current = e.api;
          shownSort();
        }}
        onSortChanged={onSortChanged}
        onCellKeyDown={onCellKeyDown}
        onRowDoubleClicked={onRowDoubleClicked}
        tooltipShowDelay={500}
        enableCellTextSelection={false}
        suppressDragLeaveHidesColumns
        animateRows={false}
        // Our own overlay says why nothing shows; AG Grid's "No Rows To Show" would be a second message.
        suppressNoRowsOverlay
      />
    </div>
  );
});
