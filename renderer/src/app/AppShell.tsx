import { useEffect, useMemo, useRef, type ReactNode } from 'react';
import {
  Button,
  Classes,
  KeyComboTag,
  Menu,
  MenuDivider,
  MenuItem,
  PopoverNext,
  Tag,
  Tooltip,
} from '@blueprintjs/core';
import { useSession } from '../state/session';
import { useSync } from '../state/sync';
import { useQueueView } from '../features/queue/queue-state';
import { useTeam } from '../features/team/team-state';
import { startClock, useUi } from '../state/ui';
import { builtScreensFor, screenCommands, screenEntry, workScreensFor, type Screen } from './screens';
import { StatusBar } from './StatusBar';
import { forgetQueueFocus } from '../features/queue/QueueGrid';
import { NothingToDoScreen } from './NothingToDoScreen';
import { useCommands } from '../commands/useCommands';
import { CommandKey } from '../commands/CommandKey';

export function AppShell() {
  const session = useSession((s) => s.session);
  const signOut = useSession((s) => s.signOut);
  const screen = useUi((s) => s.screen);
  const setScreen = useUi((s) => s.setScreen);
  const theme = useUi((s) => s.theme);
  const toggleTheme = useUi((s) => s.toggleTheme);
  const syncing = useSync((s) => s.syncing || s.status?.state === 'syncing');
  const syncNow = useSync((s) => s.syncNow);

  const roles = session?.user.roles;
  const screens = useMemo(() => (roles ? builtScreensFor(roles) : []), [roles]);
  const workScreens = useMemo(() => (roles ? workScreensFor(roles) : []), [roles]);
  // null: the user's roles have no screen with work yet (QA reviewer, trainer); they are told so.
  const current: Screen | null = screens.includes(screen) ? screen : (workScreens[0] ?? null);

  useEffect(() => useSync.getState().start(), []);
  useEffect(() => startClock(), []);

  // Leaving the shell (sign-out, a session that ended) forgets the previous user's view.
  useEffect(
    () => () => {
      useQueueView.getState().reset();
      useTeam.getState().reset();
      useUi.getState().setScreen('queue');
      forgetQueueFocus();
    },
    [],
  );

  // A screen switch unmounts the focused control: focus goes to the new screen's main region,
  // never to the page, so the next Tab starts inside it (the queue then puts it on its grid row).
  const mainRef = useRef<HTMLElement>(null);
  const shown = useRef(current);
  useEffect(() => {
    if (shown.current === current) return;
    shown.current = current;
    const active = document.activeElement;
    if (!active || active === document.body || !mainRef.current?.contains(active)) mainRef.current?.focus();
  }, [current]);

  const onSignOut = () => void signOut();

  const navigation = useMemo(() => screenCommands(screens, setScreen), [screens, setScreen]);
  const { handleKeyDown, handleKeyUp } = useCommands(
    { 'sync.now': { perform: () => void syncNow() }, 'theme.toggle': { perform: toggleTheme } },
    navigation,
  );

  if (!session) return null;
  const { user } = session;

  const Current = current ? screenEntry(current).component : undefined;
  const content: ReactNode = Current ? <Current /> : <NothingToDoScreen roles={user.roles} />;

  return (
    <div className="ld-shell" onKeyDown={handleKeyDown} onKeyUp={handleKeyUp}>
      <header className="ld-header">
        <div className="ld-brand">
          <span className="ld-logo ld-logo-sm" aria-hidden="true">
            L
          </span>
          <span className="ld-brand-name">Ledgerdesk</span>
        </div>
        {/* The page's one h1: the screen's name, so every screen has a top heading. */}
        <h1 className="ld-header-title" aria-live="polite">
          {current ? screenEntry(current).label : 'Welcome'}
        </h1>
        <div className="ld-header-actions">
          <Tooltip
            content={
              <span>
                Sync now <CommandKey id="sync.now" />
              </span>
            }
            placement="bottom"
          >
            <Button
              variant="minimal"
              size="small"
              icon="refresh"
              aria-label="Sync now"
              loading={syncing}
              onClick={() => void syncNow()}
            />
          </Tooltip>
          <Tooltip content={theme === 'dark' ? 'Light theme' : 'Dark theme'} placement="bottom">
            <Button
              variant="minimal"
              size="small"
              icon={theme === 'dark' ? 'flash' : 'moon'}
              aria-label={theme === 'dark' ? 'Switch to light theme' : 'Switch to dark theme'}
              onClick={toggleTheme}
            />
          </Tooltip>
          <PopoverNext
            placement="bottom-end"
            content={
              <Menu size="small" aria-label="User menu">
                <li className="ld-user-card">
                  <div className="ld-user-name">{user.displayName}</div>
                  <div className="ld-muted ld-small">
                    {user.username} · {user.roles.join(', ')}
                  </div>
                  <div className="ld-muted ld-small">{session.serverUrl}</div>
                </li>
                <MenuDivider />
                <MenuItem
                  icon="cog"
                  text="Settings"
                  labelElement={<KeyComboTag combo={screenEntry('settings').combo} minimal />}
                  onClick={() => setScreen('settings')}
                />
                <MenuItem
                  icon={theme === 'dark' ? 'flash' : 'moon'}
                  text={theme === 'dark' ? 'Light theme' : 'Dark theme'}
                  onClick={toggleTheme}
                />
                <MenuDivider />
                <MenuItem icon="log-out" text="Sign out" intent="danger" onClick={onSignOut} />
              </Menu>
            }
          >
            <Button
              variant="minimal"
              size="small"
              icon="user"
              endIcon="caret-down"
              aria-label={`User menu for ${user.displayName}`}
            >
              {user.displayName}
            </Button>
          </PopoverNext>
        </div>
      </header>

      <nav className="ld-nav" aria-label="Main">
        <ul>
          {workScreens.length === 0 && (
            <li>
              <Button
                className="ld-nav-item"
                variant="minimal"
                size="small"
                alignText="start"
                fill
                icon="home"
                active={current === null}
                aria-current={current === null ? 'page' : undefined}
                onClick={() => setScreen('queue')}
              >
                Welcome
              </Button>
            </li>
          )}
          {screens.map((s) => {
            const meta = screenEntry(s);
            const active = s === current;
            return (
              <li key={s}>
                <Button
                  className="ld-nav-item"
                  variant="minimal"
                  size="small"
                  alignText="start"
                  fill
                  icon={meta.icon}
                  active={active}
                  aria-current={active ? 'page' : undefined}
                  onClick={() => setScreen(s)}
                  data-screen={s}
                  endIcon={<KeyComboTag className="ld-nav-kbd" combo={meta.combo} minimal />}
                >
                  {meta.label}
                </Button>
              </li>
            );
          })}
        </ul>
        <div className="ld-nav-foot">
          {user.roles.map((r) => (
            <Tag key={r} minimal className={Classes.TEXT_SMALL}>
              {r}
            </Tag>
          ))}
          <div className="ld-muted ld-small ld-nav-help">
            Press <CommandKey id="help.shortcuts" /> for all shortcuts
          </div>
        </div>
      </nav>

      <main className="ld-main" id="main" ref={mainRef} tabIndex={-1}>
        {content}
      </main>

      <StatusBar />
    </div>
  );
}
