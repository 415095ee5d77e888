import { useEffect, useRef, useState } from 'react';
import {
  Button,
  Dialog,
  DialogBody,
  DialogFooter,
  FormGroup,
  InputGroup,
  Menu,
  MenuDivider,
  MenuItem,
  PopoverNext,
} from '@blueprintjs/core';
import { z } from 'zod';
import { channelSchema, exceptionTypeSchema } from '@shared/exception-types';
import { exceptionStatusSchema } from '@shared/exception-status';
import { queueSortSchema } from '@shared/ipc/channels';
import { useQueueView } from './queue-state';
import { useSession } from '../../state/session';
import { NO_TRANSITION } from '../../lib/overlay';

/** A named set of queue filters and sort, kept per user on this computer. */
const savedViewSchema = z.object({
  name: z.string().min(1).max(60),
  statuses: z.array(exceptionStatusSchema),
  type: exceptionTypeSchema.nullable(),
  channel: channelSchema.nullable(),
  search: z.string().max(100),
  sort: queueSortSchema,
});
type SavedView = z.infer<typeof savedViewSchema>;

const storageKey = (userId: string): string => `ledgerdesk.views.${userId}`;

function readViews(userId: string): SavedView[] {
  try {
    const parsed = z
      .array(savedViewSchema)
      .safeParse(JSON.parse(window.localStorage.getItem(storageKey(userId)) ?? '[]'));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

/** The view whose filters and sort are the queue's now, if any: its name is shown on the button. */
function activeView(views: readonly SavedView[], q: Omit<SavedView, 'name'>): SavedView | undefined {
  const sameStatuses = (a: readonly string[], b: readonly string[]): boolean =>
    a.length === b.length && a.every((s) => b.includes(s));
  return views.find(
    (v) =>
      sameStatuses(v.statuses, q.statuses) &&
      v.type === q.type &&
      v.channel === q.channel &&
      v.search === q.search &&
      v.sort === q.sort,
  );
}

/** How long "Deleted … Undo" stays offered. */
const UNDO_MS = 15_000;

export function SavedViews() {
  const userId = useSession((s) => s.session?.user.id ?? 'anonymous');
  const [views, setViews] = useState<SavedView[]>(() => readViews(userId));
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const [deleted, setDeleted] = useState<{ view: SavedView; index: number } | null>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const nameRef = useRef<HTMLInputElement>(null);
  const nameAfterMenu = useRef(false);
  const statuses = useQueueView((s) => s.statuses);
  const type = useQueueView((s) => s.type);
  const channel = useQueueView((s) => s.channel);
  const search = useQueueView((s) => s.search);
  const sort = useQueueView((s) => s.sort);
  const active = activeView(views, { statuses, type, channel, search, sort });

  useEffect(() => {
    if (!deleted) return;
    const t = setTimeout(() => setDeleted(null), UNDO_MS);
    return () => clearTimeout(t);
  }, [deleted]);

  const store = (next: SavedView[]): void => {
    setViews(next);
    try {
      window.localStorage.setItem(storageKey(userId), JSON.stringify(next));
    } catch {
      // not persisted; the views still work for this session
    }
  };
  const apply = (v: SavedView): void => {
    const q = useQueueView.getState();
    q.clearStatuses();
    for (const s of v.statuses) q.toggleStatus(s, true);
    q.setType(v.type);
    q.setChannel(v.channel);
    q.setSearch(v.search);
    q.setSort(v.sort);
  };
  const save = (): void => {
    const { statuses, type, channel, search, sort } = useQueueView.getState();
    const view = { name: name.trim(), statuses, type, channel, search, sort };
    store([...views.filter((v) => v.name !== view.name), view]);
    setNaming(false);
    setName('');
  };

  return (
    <>
      <PopoverNext
        placement="bottom-end"
        onClosed={() => {
          if (!nameAfterMenu.current) return;
          nameAfterMenu.current = false;
          setNaming(true);
        }}
        content={
          <Menu size="small" aria-label="Saved views">
            {views.length === 0 && <MenuItem disabled text="No saved views yet" />}
            {views.map((v) => (
              <MenuItem
                key={v.name}
                icon="filter"
                text={v.name}
                onClick={() => apply(v)}
                labelElement={
                  <Button
                    size="small"
                    variant="minimal"
                    icon="trash"
                    aria-label={`Delete view ${v.name}`}
                    onClick={(e) => {
                      e.stopPropagation();
                      setDeleted({ view: v, index: views.indexOf(v) });
                      store(views.filter((x) => x.name !== v.name));
                    }}
                  />
                }
              />
            ))}
            <MenuDivider />
            <MenuItem
              icon="floppy-disk"
              text="Save current view…"
              // Opened once the menu has closed and handed focus back to its button (see onClosed):
              // opened at once, that late hand-back took focus out of the name field mid-typing.
              onClick={() => {
                nameAfterMenu.current = true;
              }}
            />
          </Menu>
        }
      >
        <Button
          ref={buttonRef}
          size="small"
          variant="minimal"
          icon="bookmark"
          endIcon="caret-down"
          aria-label={active ? `Views, showing ${active.name}` : 'Views'}
          data-testid="views-button"
        >
          {active ? (
            <>
              View: <strong>{active.name}</strong>
            </>
          ) : (
            'Views'
          )}
        </Button>
      </PopoverNext>
      {deleted && (
        <span className="ld-small ld-undo" role="status">
          Deleted view “{deleted.view.name}”.{' '}
          <Button
            size="small"
            variant="minimal"
            intent="primary"
            onClick={() => {
              const rest = views.filter((x) => x.name !== deleted.view.name);
              store([...rest.slice(0, deleted.index), deleted.view, ...rest.slice(deleted.index)]);
              setDeleted(null);
              buttonRef.current?.focus();
            }}
          >
            Undo
          </Button>
        </span>
      )}
      <Dialog
        {...NO_TRANSITION}
        isOpen={naming}
        onClose={() => setNaming(false)}
        // The menu item that opened it is gone: focus goes back to the Views button instead of the page.
        shouldReturnFocusOnClose={false}
        onClosed={() => buttonRef.current?.focus()}
        // autoFocus alone lost to the closing menu, which hands focus back to the Views button.
        onOpened={() => nameRef.current?.focus()}
        title="Save the current view"
      >
        <DialogBody>
          <FormGroup
            label="Name"
            labelFor="view-name"
            helperText="Filters, search and sort are saved; Enter saves."
          >
            <InputGroup
              id="view-name"
              inputRef={nameRef}
              autoFocus
              value={name}
              onValueChange={setName}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && name.trim()) save();
              }}
            />
          </FormGroup>
        </DialogBody>
        <DialogFooter
          actions={
            <>
              <Button onClick={() => setNaming(false)}>Cancel</Button>
              <Button intent="primary" disabled={!name.trim()} onClick={save}>
                Save view
              </Button>
            </>
          }
        />
      </Dialog>
    </>
  );
}
