import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Button, Callout } from '@blueprintjs/core';
import type { QueueQuery, QueueSort } from '@shared/ipc/channels';
import { call, describeError, subscribe } from '../../bridge';
import { useQueueView } from './queue-state';
import { QueueToolbar } from './QueueToolbar';
import { QueueGrid, type QueueGridHandle, type QueueGridTeam } from './QueueGrid';
import { TeamActions } from '../team/TeamActions';
import { ExceptionDrawer } from '../../exception-views/ExceptionDrawer';
import { WorkspaceScreen } from '../workspace/WorkspaceScreen';
import { useSession } from '../../state/session';
import { useWork } from '../workspace/work-state';
import { isSupervisorRole, useTeam } from '../team/team-state';
import type { ExceptionSummary } from '@shared/exception';
import { useCommands } from '../../commands/useCommands';
import { CommandKey } from '../../commands/CommandKey';
import { DrillNotice } from './DrillNotice';

/** The queue, or, while an operator works an item taken with get next, that item's workspace. */
export function QueueScreen() {
  const item = useWork((s) => s.item);
  const isOperator = useSession((s) => s.session?.user.roles.includes('operator') ?? false);
  const next = useWork((s) => s.next);
  const { handleKeyDown, handleKeyUp } = useCommands(
    isOperator ? { 'work.next': { perform: () => void next() } } : {},
  );
  return (
    <div className="ld-queue-host" onKeyDown={handleKeyDown} onKeyUp={handleKeyUp}>
      {item ? (
        <WorkspaceScreen key={item.exception.id} exception={item.exception} returned={item.lease.returned} />
      ) : (
        <QueueList />
      )}
    </div>
  );
}

function WorkBar() {
  const loading = useWork((s) => s.loading);
  const error = useWork((s) => s.error);
  const notice = useWork((s) => s.notice);
  const next = useWork((s) => s.next);
  return (
    <div className="ld-workbar">
      <Button intent="primary" icon="play" loading={loading} onClick={() => void next()}>
        Get next <CommandKey id="work.next" />
      </Button>
      <span className="ld-small ld-muted" role="status" aria-live="polite" data-testid="work-notice">
        {error ??
          notice ??
          'Take the most urgent item leased to you; it works offline from your prefetched shift.'}
      </span>
    </div>
  );
}

function QueueList() {
  const isOperator = useSession((s) => s.session?.user.roles.includes('operator') ?? false);
  const statuses = useQueueView((s) => s.statuses);
  const type = useQueueView((s) => s.type);
  const channel = useQueueView((s) => s.channel);
  const search = useQueueView((s) => s.search);
  const sort = useQueueView((s) => s.sort);
  const reverse = useQueueView((s) => s.reverse);
  const assignees = useQueueView((s) => s.assignees);
  const drillIds = useQueueView((s) => s.drill?.ids);
  const revision = useQueueView((s) => s.revision);
  const open = useQueueView((s) => s.open);
  const setCounts = useQueueView((s) => s.setCounts);
  const [countsError, setCountsError] = useState<string | null>(null);
  const gridRef = useRef<QueueGridHandle>(null);
  const refresh = useCallback(() => useQueueView.getState().bumpRevision(), []);
  const focusGrid = useCallback(() => gridRef.current?.focusFirst(), []);
  const restoreGridFocus = useCallback(() => gridRef.current?.restoreFocus(), []);

  const isLead = useSession((s) => isSupervisorRole(s.session?.user.roles));
  const names = useTeam((s) => s.names);
  const [selected, setSelected] = useState<ExceptionSummary[]>([]);
  useEffect(() => {
    if (isLead && !useTeam.getState().operators) void useTeam.getState().load();
  }, [isLead]);
  const team = useMemo<QueueGridTeam | undefined>(
    () => (isLead ? { names, onSelectionChange: setSelected } : undefined),
    [isLead, names],
  );
  const clearSelection = useCallback(() => {
    gridRef.current?.deselect(selected.map((r) => r.id));
    gridRef.current?.focusFirst();
  }, [selected]);
  const onTeamDone = useCallback((ids: readonly string[]) => gridRef.current?.deselect(ids), []);

  const query = useMemo<Omit<QueueQuery, 'offset' | 'limit'>>(
    () => ({
      sort,
      ...(reverse ? { reverse } : {}),
      ...(isLead && assignees.length ? { assignees } : {}),
      ...(statuses.length ? { statuses } : {}),
      ...(type ? { types: [type] } : {}),
      ...(channel ? { channels: [channel] } : {}),
      ...(search.trim() ? { search: search.trim() } : {}),
      ...(drillIds ? { ids: drillIds } : {}),
    }),
    [statuses, type, channel, search, sort, reverse, isLead, assignees, drillIds],
  );
  const onSort = useCallback(
    (next: QueueSort, backwards: boolean) => useQueueView.getState().setSort(next, backwards),
    [],
  );

  // Status counts ignore the status filter: they label the chips. They are read again whenever the
  // list's total moves too: a change whose queue.changed event the window missed (one sent
  // before the event stream was connected) would otherwise leave a chip one behind the list.
  const listTotal = useQueueView((s) => s.total);
  useEffect(() => {
    let cancelled = false;
    call('queue.counts', {
      ...(isLead && assignees.length ? { assignees } : {}),
      ...(type ? { types: [type] } : {}),
      ...(channel ? { channels: [channel] } : {}),
      ...(search.trim() ? { search: search.trim() } : {}),
      ...(drillIds ? { ids: drillIds } : {}),
    })
      .then((counts) => {
        if (cancelled) return;
        setCounts(counts);
        setCountsError(null);
      })
      .catch((e: unknown) => {
        if (!cancelled) setCountsError(describeError(e));
      });
    return () => {
      cancelled = true;
    };
  }, [type, channel, search, revision, listTotal, setCounts, isLead, assignees, drillIds]);

  // The local store changed (a pull landed, a local action): re-read rows and counts in place.
  useEffect(
    () =>
      subscribe('queue.changed', (payload) => {
        if (payload.reason === 'signed_out') return;
        useQueueView.getState().bumpRevision();
      }),
    [],
  );

  return (
    <section className="ld-queue" aria-label="Exception queue">
      {isOperator && <WorkBar />}
      <QueueToolbar onRefresh={refresh} onFocusGrid={focusGrid} />
      <DrillNotice onCleared={focusGrid} />
      {countsError && (
        <Callout intent="warning" compact className="ld-queue-callout">
          Status counts unavailable: {countsError}
        </Callout>
      )}
      {isLead && (
        <TeamActions
          selected={selected}
          onClearSelection={clearSelection}
          onDone={onTeamDone}
          onRestoreFocus={focusGrid}
        />
      )}
      <QueueGrid ref={gridRef} query={query} revision={revision} onSort={onSort} onOpen={open} team={team} />
      <QueueDrawer onClosed={restoreGridFocus} />
    </section>
  );
}

/** The drawer reads the open id itself, so opening an item re-renders the drawer, not the queue. */
function QueueDrawer({ onClosed }: { onClosed(): void }) {
  const openId = useQueueView((s) => s.openId);
  const open = useQueueView((s) => s.open);
  const close = useCallback(() => open(null), [open]);
  return <ExceptionDrawer id={openId} onClose={close} onClosed={onClosed} />;
}
