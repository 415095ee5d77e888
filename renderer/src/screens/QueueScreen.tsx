import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Callout } from '@blueprintjs/core';
import type { QueueQuery } from '../../../shared/ipc/channels';
import { call, describeError, subscribe } from '../bridge';
import { useQueueView } from '../state/queue';
import { QueueToolbar } from './queue/QueueToolbar';
import { QueueGrid, type QueueGridHandle } from './queue/QueueGrid';
import { ExceptionDrawer } from './queue/ExceptionDrawer';

export function QueueScreen() {
  const statuses = useQueueView((s) => s.statuses);
  const type = useQueueView((s) => s.type);
  const channel = useQueueView((s) => s.channel);
  const search = useQueueView((s) => s.search);
  const sort = useQueueView((s) => s.sort);
  const revision = useQueueView((s) => s.revision);
  const openId = useQueueView((s) => s.openId);
  const open = useQueueView((s) => s.open);
  const setCounts = useQueueView((s) => s.setCounts);
  const [countsError, setCountsError] = useState<string | null>(null);
  const gridRef = useRef<QueueGridHandle>(null);
  const refresh = useCallback(() => useQueueView.getState().bumpRevision(), []);
  const focusGrid = useCallback(() => gridRef.current?.focusFirst(), []);
  const closeDrawer = useCallback(() => open(null), [open]);
  const restoreGridFocus = useCallback(() => gridRef.current?.restoreFocus(), []);

  const query = useMemo<Omit<QueueQuery, 'offset' | 'limit'>>(
    () => ({
      sort,
      ...(statuses.length ? { statuses } : {}),
      ...(type ? { types: [type] } : {}),
      ...(channel ? { channels: [channel] } : {}),
      ...(search.trim() ? { search: search.trim() } : {}),
    }),
    [statuses, type, channel, search, sort],
  );

  // Status counts ignore the status filter: they label the chips.
  useEffect(() => {
    let cancelled = false;
    call('queue.counts', {
      ...(type ? { types: [type] } : {}),
      ...(channel ? { channels: [channel] } : {}),
      ...(search.trim() ? { search: search.trim() } : {}),
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
  }, [type, channel, search, revision, setCounts]);

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
      <QueueToolbar onRefresh={refresh} onFocusGrid={focusGrid} />
      {countsError && (
        <Callout intent="warning" compact className="ld-queue-callout">
          Status counts unavailable: {countsError}
        </Callout>
      )}
      <QueueGrid ref={gridRef} query={query} revision={revision} onOpen={open} />
      <ExceptionDrawer id={openId} onClose={closeDrawer} onClosed={restoreGridFocus} />
    </section>
  );
}
