import { Card, H2, H3, HTMLTable, SegmentedControl } from '@blueprintjs/core';
import { CommandKey } from '../../commands/CommandKey';
import { useSession } from '../../state/session';
import { useUi, type Theme } from '../../state/ui';
import { transportMode } from '../../bridge';
import { formatDateTime, timeZoneLabel } from '../../lib/format';

export function SettingsScreen() {
  const appInfo = useSession((s) => s.appInfo);
  const session = useSession((s) => s.session);
  const theme = useUi((s) => s.theme);
  const setTheme = useUi((s) => s.setTheme);

  return (
    <section className="ld-settings" aria-labelledby="settings-h">
      <H2 id="settings-h" className="ld-screen-h">
        Settings
      </H2>

      <Card className="ld-settings-card" compact>
        <H3 className="ld-section-h">Appearance</H3>
        <div className="ld-settings-row">
          <span id="theme-label">Theme</span>
          <SegmentedControl
            aria-labelledby="theme-label"
            size="small"
            value={theme}
            onValueChange={(v) => setTheme(v === 'dark' ? 'dark' : 'light')}
            options={[
              { label: 'Light', value: 'light' satisfies Theme },
              { label: 'Dark', value: 'dark' satisfies Theme },
            ]}
          />
          <span className="ld-muted ld-small">
            <CommandKey id="theme.toggle" />
          </span>
        </div>
      </Card>

      <Card className="ld-settings-card" compact>
        <H3 className="ld-section-h">Connection</H3>
        <HTMLTable compact className="ld-kv">
          <tbody>
            <tr>
              <th scope="row">Server URL</th>
              <td className="ld-mono" data-testid="settings-server">
                {session?.serverUrl ?? '—'}
              </td>
            </tr>
            <tr>
              <th scope="row">Default server URL</th>
              <td className="ld-mono">{appInfo?.defaultServerUrl ?? '—'}</td>
            </tr>
            <tr>
              <th scope="row">Signed in as</th>
              <td>
                {session
                  ? `${session.user.displayName} (${session.user.username}) · ${session.user.roles.join(', ')}`
                  : '—'}
              </td>
            </tr>
            <tr>
              <th scope="row">Signed in at</th>
              <td>{session ? formatDateTime(session.signedInAt) : '—'}</td>
            </tr>
            <tr>
              <th scope="row">Time zone</th>
              <td>{timeZoneLabel()} · every time in the app is shown in it</td>
            </tr>
          </tbody>
        </HTMLTable>
        <p className="ld-muted ld-small">
          To use another server, sign out and enter its URL on the sign-in screen.
        </p>
      </Card>

      <Card className="ld-settings-card" compact>
        <H3 className="ld-section-h">About</H3>
        <HTMLTable compact className="ld-kv">
          <tbody>
            <tr>
              <th scope="row">Version</th>
              <td className="ld-mono" data-testid="settings-version">
                {appInfo?.version ?? '—'}
              </td>
            </tr>
            <tr>
              <th scope="row">Mode</th>
              <td data-testid="settings-mode">
                {appInfo
                  ? appInfo.mode === 'electron'
                    ? 'Desktop (Electron)'
                    : 'Browser mode'
                  : transportMode()}
              </td>
            </tr>
            <tr>
              <th scope="row">Local data folder</th>
              <td className="ld-mono">{appInfo?.dataDir ?? '—'}</td>
            </tr>
          </tbody>
        </HTMLTable>
      </Card>
    </section>
  );
}
