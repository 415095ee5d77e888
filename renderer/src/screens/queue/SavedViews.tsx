import { useState } from 'react';
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
import { channelSchema, exceptionTypeSchema } from '../../../../shared/exception-types';
import { exceptionStatusSchema } from '../../../../shared/exception-status';
import { queueSortSchema } from '../../../../shared/ipc/channels';
import { useQueueView } from '../../state/queue';
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

export function SavedViews() {
  const userId = useSession((s) => s.session?.user.id ?? 'anonymous');
  const [views, setViews] = useState<SavedView[]>(() => readViews(userId));
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');

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
                      store(views.filter((x) => x.name !== v.name));
                    }}
                  />
                }
              />
            ))}
            <MenuDivider />
            <MenuItem icon="floppy-disk" text="Save current view…" onClick={() => setNaming(true)} />
          </Menu>
        }
      >
        <Button size="small" variant="minimal" icon="bookmark" endIcon="caret-down">
          Views
        </Button>
      </PopoverNext>
      <Dialog
        {...NO_TRANSITION}
        isOpen={naming}
        onClose={() => setNaming(false)}
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
