import { useEffect, useMemo, type ReactNode } from 'react';
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
  useHotkeys,
  type HotkeyConfig,
} from '@blueprintjs/core';
import { screensFor, type Screen } from '../../../shared/roles';
import { useSession } from '../state/session';
import { useSync } from '../state/sync';
import { useQueueView } from '../state/queue';
import { useTeam } from '../state/team';
import { startClock, useUi } from '../state/ui';
import { SCREEN_META } from './nav';
import { StatusBar } from './StatusBar';
import { QueueScreen } from '../screens/QueueScreen';
import { PlaceholderScreen } from '../screens/PlaceholderScreen';
import { SettingsScreen } from '../screens/SettingsScreen';
import { ApprovalsScreen } from '../screens/ApprovalsScreen';

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
  const screens = useMemo(() => (roles ? screensFor(roles) : []), [roles]);
  const current: Screen = screens.includes(screen) ? screen : (screens[0] ?? 'settings');

  useEffect(() => useSync.getState().start(), []);
  useEffect(() => startClock(), []);

  // Leaving the shell (sign-out, a session that ended) forgets the previous user's view.
  useEffect(
    () => () => {
      useQueueView.getState().reset();
      useTeam.getState().reset();
      useUi.getState().setScreen('queue');
    },
    [],
  );

  const onSignOut = () => void signOut();

  const hotkeys = useMemo<HotkeyConfig[]>(
    () => [
      ...screens.map((s) => ({
        combo: SCREEN_META[s].combo,
        label: `Go to ${SCREEN_META[s].label}`,
        group: 'Navigation',
        global: true,
        allowInInput: true,
        preventDefault: true,
        onKeyDown: () => setScreen(s),
      })),
      {
        combo: 'ctrl+shift+s',
        label: 'Sync now',
        group: 'Sync',
        global: true,
        allowInInput: true,
        preventDefault: true,
        onKeyDown: () => void syncNow(),
      },
      {
        combo: 'ctrl+shift+l',
        label: 'Toggle dark theme',
        group: 'Appearance',
        global: true,
        allowInInput: true,
        preventDefault: true,
        onKeyDown: toggleTheme,
      },
    ],
    [screens, setScreen, syncNow, toggleTheme],
  );
  const { handleKeyDown, handleKeyUp } = useHotkeys(hotkeys);

  if (!session) return null;
  const { user } = session;

  let content: ReactNode;
  switch (current) {
    case 'queue':
      content = <QueueScreen />;
      break;
    case 'approvals':
      content = <ApprovalsScreen />;
      break;
    case 'settings':
      content = <SettingsScreen />;
      break;
    default:
      content = <PlaceholderScreen screen={current} />;
  }

  return (
    <div className="ld-shell" onKeyDown={handleKeyDown} onKeyUp={handleKeyUp}>
      <header className="ld-header">
        <div className="ld-brand">
          <span className="ld-logo ld-logo-sm" aria-hidden="true">
            L
          </span>
          <span className="ld-brand-name">Ledgerdesk</span>
        </div>
        <div className="ld-header-title" aria-live="polite">
          {SCREEN_META[current].label}
        </div>
        <div className="ld-header-actions">
          <Tooltip
            content={
              <span>
                Sync now <KeyComboTag combo="ctrl+shift+s" minimal />
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
                <MenuItem icon="cog" text="Settings" label="Ctrl+5" onClick={() => setScreen('settings')} />
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
          {screens.map((s) => {
            const meta = SCREEN_META[s];
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
            Press <KeyComboTag combo="shift+?" minimal /> for all shortcuts
          </div>
        </div>
      </nav>

      <main className="ld-main" id="main">
        {content}
      </main>

      <StatusBar />
    </div>
  );
}
