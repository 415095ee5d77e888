import { useEffect, useRef, useState, type MouseEvent } from 'react';
import { Button, HTMLSelect, InputGroup, Tooltip } from '@blueprintjs/core';
import {
  CHANNELS,
  CHANNEL_LABELS,
  EXCEPTION_TYPES,
  EXCEPTION_TYPE_LABELS,
  type Channel,
  type ExceptionType,
} from '@shared/exception-types';
import { EXCEPTION_STATUSES, STATUS_LABELS, type ExceptionStatus } from '@shared/exception-status';
import { QUEUE_SORTS, type QueueSort } from '@shared/ipc/channels';
import { useQueueView } from './queue-state';
import { useDebounced } from '../../lib/useDebounced';
import { formatCount } from '../../lib/format';
import { SORT_LABELS } from '../../lib/labels';
import { SavedViews } from './SavedViews';
import { useCommands } from '../../commands/useCommands';
import { CommandKey } from '../../commands/CommandKey';
import { AssigneeFilter } from '../team/AssigneeFilter';
import { useSession } from '../../state/session';
import { isSupervisorRole } from '../team/team-state';

function isOneOf<T extends string>(list: readonly T[], v: string): v is T {
  return (list as readonly string[]).includes(v);
}

export function QueueToolbar({ onRefresh, onFocusGrid }: { onRefresh: () => void; onFocusGrid: () => void }) {
  const statuses = useQueueView((s) => s.statuses);
  const type = useQueueView((s) => s.type);
  const channel = useQueueView((s) => s.channel);
  const sort = useQueueView((s) => s.sort);
  const reverse = useQueueView((s) => s.reverse);
  const isLead = useSession((s) => isSupervisorRole(s.session?.user.roles));
  const total = useQueueView((s) => s.total);
  const counts = useQueueView((s) => s.counts);
  const storeSearch = useQueueView((s) => s.search);
  const { toggleStatus, clearStatuses, setType, setChannel, setSort, setSearch } = useQueueView.getState();

  const [searchText, setSearchText] = useState(storeSearch);
  const debounced = useDebounced(searchText, 250);
  // A saved view sets the search from outside (not from this box's own debounce): show it.
  const [shownSearch, setShownSearch] = useState(storeSearch);
  if (storeSearch !== shownSearch) {
    setShownSearch(storeSearch);
    if (storeSearch !== debounced) setSearchText(storeSearch);
  }
  useEffect(() => {
    if (debounced !== useQueueView.getState().search) setSearch(debounced);
  }, [debounced, setSearch]);

  const searchRef = useRef<HTMLInputElement>(null);
  const typeRef = useRef<HTMLSelectElement>(null);
  const { handleKeyDown } = useCommands({
    'queue.search': {
      perform: () => {
        searchRef.current?.focus();
        searchRef.current?.select();
      },
    },
    'queue.type': { perform: () => typeRef.current?.focus() },
    'queue.refresh': { perform: onRefresh },
  });

  const allCount = counts ? Object.values(counts).reduce((a, b) => a + b, 0) : null;

  const onChip = (status: ExceptionStatus) => (e: MouseEvent) =>
    toggleStatus(status, e.ctrlKey || e.metaKey || e.shiftKey);

  return (
    <div className="ld-toolbar" onKeyDown={handleKeyDown}>
      <div className="ld-toolbar-row">
        <InputGroup
          className="ld-search"
          inputRef={searchRef}
          size="small"
          type="search"
          leftIcon="search"
          placeholder="Search id, customer, account, agreement, invoice"
          aria-label="Search exceptions"
          value={searchText}
          onValueChange={setSearchText}
          onKeyDown={(e) => {
            if (e.key === 'Enter' || e.key === 'ArrowDown') {
              e.preventDefault();
              setSearch(searchText);
              onFocusGrid();
            } else if (e.key === 'Escape' && searchText) {
              e.preventDefault();
              setSearchText('');
            }
          }}
          rightElement={<CommandKey className="ld-search-kbd" id="queue.search" />}
        />
        <HTMLSelect
          className="ld-select-sm"
          aria-label="Exception type"
          ref={typeRef}
          title="Exception type (T)"
          value={type ?? ''}
          onChange={(e) =>
            setType(
              isOneOf<ExceptionType>(EXCEPTION_TYPES, e.currentTarget.value) ? e.currentTarget.value : null,
            )
          }
        >
          <option value="">All types</option>
          {EXCEPTION_TYPES.map((t) => (
            <option key={t} value={t}>
              {EXCEPTION_TYPE_LABELS[t]}
            </option>
          ))}
        </HTMLSelect>
        <HTMLSelect
          className="ld-select-sm"
          aria-label="Channel"
          value={channel ?? ''}
          onChange={(e) =>
            setChannel(isOneOf<Channel>(CHANNELS, e.currentTarget.value) ? e.currentTarget.value : null)
          }
        >
          <option value="">All channels</option>
          {CHANNELS.map((c) => (
            <option key={c} value={c}>
              {CHANNEL_LABELS[c]}
            </option>
          ))}
        </HTMLSelect>
        <HTMLSelect
          className="ld-select-sm"
          aria-label="Sort by"
          value={sort}
          onChange={(e) => {
            const v = e.currentTarget.value;
            if (isOneOf<QueueSort>(QUEUE_SORTS, v)) setSort(v);
          }}
        >
          {QUEUE_SORTS.map((s) => (
            <option key={s} value={s}>
              Sort: {SORT_LABELS[s]}
              {s === sort && reverse ? ' (reversed)' : ''}
            </option>
          ))}
        </HTMLSelect>
        {isLead && <AssigneeFilter />}
        <SavedViews />
        <span className="ld-toolbar-spacer" />
        <span className="ld-total" data-testid="queue-total" aria-live="polite">
          {total === null ? '…' : formatCount(total)} {total === 1 ? 'exception' : 'exceptions'}
        </span>
        <Tooltip
          content={
            <span>
              Refresh <CommandKey id="queue.refresh" />
            </span>
          }
          placement="bottom-end"
        >
          <Button
            size="small"
            variant="minimal"
            icon="refresh"
            aria-label="Refresh queue"
            onClick={onRefresh}
          />
        </Tooltip>
      </div>
      <div className="ld-chips" role="group" aria-label="Filter by status (Ctrl+click to combine)">
        <Button
          size="small"
          variant={statuses.length === 0 ? 'solid' : 'minimal'}
          intent={statuses.length === 0 ? 'primary' : 'none'}
          className="ld-chip"
          aria-pressed={statuses.length === 0}
          onClick={clearStatuses}
          data-status="all"
        >
          All <span className="ld-chip-count">{allCount === null ? '' : formatCount(allCount)}</span>
        </Button>
        {EXCEPTION_STATUSES.map((s) => {
          const active = statuses.includes(s);
          const count = counts?.[s] ?? 0;
          return (
            <Button
              key={s}
              size="small"
              variant={active ? 'solid' : 'minimal'}
              intent={active ? 'primary' : 'none'}
              className={`ld-chip${count === 0 && !active ? ' ld-chip-empty' : ''}`}
              aria-pressed={active}
              onClick={onChip(s)}
              data-status={s}
            >
              {STATUS_LABELS[s]} <span className="ld-chip-count">{counts ? formatCount(count) : ''}</span>
            </Button>
          );
        })}
      </div>
    </div>
  );
}
