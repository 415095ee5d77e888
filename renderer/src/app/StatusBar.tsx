import { Icon, Spinner, Tooltip, type Intent } from '@blueprintjs/core';
import type { ReactNode } from 'react';
import type { SyncStatus } from '@shared/ipc/channels';
import { useSession } from '../state/session';
import { useSync } from '../state/sync';
import { useClock } from '../state/ui';
import { formatCount, formatDateTime, formatRelative } from '../lib/format';

const STATE_TEXT: Record<SyncStatus['state'], string> = {
  idle: 'Synced',
  syncing: 'Syncing…',
  offline: 'Offline: working locally',
  error: 'Sync error',
  signed_out: 'Signed out',
  update_required: 'Update required: syncing paused, your work is kept',
};

/** Named as the clock, not as a sync failure: the fix is in the computer's settings. */
export function clockSkewText(skewMs: number): string {
  const minutes = Math.max(1, Math.round(Math.abs(skewMs) / 60_000));
  const amount =
    minutes >= 120 ? `${Math.round(minutes / 60)} hours` : `${minutes} minute${minutes === 1 ? '' : 's'}`;
  return `This computer's clock is ${amount} ${skewMs > 0 ? 'behind' : 'ahead'}; fix it in settings`;
}

function Item({ children, label, intent }: { children: ReactNode; label?: string; intent?: Intent }) {
  return (
    <span
      className={`ld-status-item${intent && intent !== 'none' ? ` ld-intent-${intent}` : ''}`}
      aria-label={label}
    >
      {children}
    </span>
  );
}

export function StatusBar() {
  const status = useSync((s) => s.status);
  const transport = useSync((s) => s.transport);
  const error = useSync((s) => s.error);
  const session = useSession((s) => s.session);
  const now = useClock((s) => s.now);

  const hostDown = transport === 'closed';
  const alarming = status?.state === 'error' || status?.state === 'update_required';

  return (
    <footer className="ld-statusbar" aria-label="Status">
      {hostDown && (
        <Item intent="danger">
          <Icon icon="offline" size={12} /> Host disconnected, reconnecting…
        </Item>
      )}
      {status ? (
        <>
          <Item intent={status.online ? 'success' : 'none'} label={status.online ? 'Online' : 'Offline'}>
            <span className={`ld-dot ${status.online ? 'ld-dot-on' : 'ld-dot-off'}`} aria-hidden="true" />
            <span data-testid="status-online">{status.online ? 'Online' : 'Offline'}</span>
          </Item>
          {status.clockSkewMs !== null && (
            <Item intent="danger">
              <Icon icon="time" size={12} />
              <span data-testid="status-clock">{clockSkewText(status.clockSkewMs)}</span>
            </Item>
          )}
          <Item intent={alarming ? 'danger' : status.state === 'offline' ? 'warning' : 'none'}>
            {status.state === 'syncing' ? (
              <Spinner size={10} aria-label="Syncing" />
            ) : (
              <Icon icon="exchange" size={12} />
            )}
            {alarming && status.lastError ? (
              <Tooltip content={status.lastError} placement="top">
                <span tabIndex={0} data-testid="status-sync">
                  {STATE_TEXT[status.state]}
                </span>
              </Tooltip>
            ) : (
              <span data-testid="status-sync">{STATE_TEXT[status.state]}</span>
            )}
          </Item>
          <Item label={`${status.pending} pending`}>
            <Icon icon="upload" size={12} /> {formatCount(status.pending)} pending
          </Item>
          <Item intent={status.failed > 0 ? 'danger' : 'none'} label={`${status.failed} failed`}>
            <Icon icon="error" size={12} /> {formatCount(status.failed)} failed
          </Item>
          <Item intent={status.conflicts > 0 ? 'warning' : 'none'} label={`${status.conflicts} conflicts`}>
            <Icon icon="git-merge" size={12} /> {formatCount(status.conflicts)} conflicts
          </Item>
          <Item>
            <Icon icon="time" size={12} /> Last sync{' '}
            {status.lastSyncAt ? (
              <Tooltip content={formatDateTime(status.lastSyncAt)} placement="top">
                <span tabIndex={0}>{formatRelative(status.lastSyncAt, now)}</span>
              </Tooltip>
            ) : status.state === 'syncing' ? (
              // The first sync of this computer: "never" would read as if nothing were happening.
              'in progress (first sync)'
            ) : (
              'never'
            )}
          </Item>
          <Item>
            <Icon icon="database" size={12} />{' '}
            <span data-testid="status-local">{formatCount(status.localExceptions)}</span> local
          </Item>
        </>
      ) : (
        <Item intent={error ? 'danger' : 'none'}>{error ?? 'Reading sync status…'}</Item>
      )}
      <span className="ld-status-spacer" />
      {session && (
        <Item>
          <Icon icon="person" size={12} /> <span data-testid="status-user">{session.user.displayName}</span>
          <span className="ld-muted">({session.user.username})</span>
        </Item>
      )}
    </footer>
  );
}
