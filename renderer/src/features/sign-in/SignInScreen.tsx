import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Button, Callout, Card, Code, FormGroup, H1, InputGroup } from '@blueprintjs/core';
import { useSession } from '../../state/session';
import { useUi } from '../../state/ui';
import { issueInWords } from '../../lib/issue-words';

const FIELDS = ['serverUrl', 'username', 'password'];

const CODE_HINT: Partial<Record<string, string>> = {
  unauthorized: 'Check the user name and password.',
  offline: 'The central server could not be reached. Check the server URL and your connection.',
  invalid_input: 'Some fields need attention.',
};

export function SignInScreen() {
  const appInfo = useSession((s) => s.appInfo);
  const bootError = useSession((s) => s.bootError);
  const signingIn = useSession((s) => s.signingIn);
  const error = useSession((s) => s.signInError);
  const signIn = useSession((s) => s.signIn);
  const init = useSession((s) => s.init);
  const theme = useUi((s) => s.theme);
  const toggleTheme = useUi((s) => s.toggleTheme);

  // This screen mounts after app.info has been read (App shows a spinner until then), so the
  // default server URL is known here; a failed boot shows Retry, which remounts the screen.
  const [serverUrl, setServerUrl] = useState(appInfo?.defaultServerUrl ?? '');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const userRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    userRef.current?.focus();
  }, []);

  // After a failed attempt, put the cursor back where the operator will retype.
  useEffect(() => {
    if (error?.code === 'unauthorized') {
      passwordRef.current?.select();
      passwordRef.current?.focus();
    }
  }, [error]);

  const issue = (path: string) => {
    const found = error?.issues.find((i) => i.path === path);
    return found ? issueInWords(found) : undefined;
  };
  // Issues for a field show under that field; the callout lists only the rest.
  const otherIssues = error?.issues.filter((i) => !FIELDS.includes(i.path)) ?? [];

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void signIn({ serverUrl, username, password });
  };

  const fieldIntent = (path: string) => (issue(path) ? 'danger' : 'none');

  return (
    <main className="ld-signin" aria-labelledby="signin-title">
      <Card className="ld-signin-card" elevation={2}>
        <div className="ld-signin-brand">
          <span className="ld-logo" aria-hidden="true">
            L
          </span>
          <div>
            <H1 id="signin-title" className="ld-signin-title">
              Ledgerdesk
            </H1>
            <div className="ld-muted">Billing-exception workbench</div>
          </div>
          <Button
            className="ld-signin-theme"
            variant="minimal"
            size="small"
            icon={theme === 'dark' ? 'flash' : 'moon'}
            aria-label={theme === 'dark' ? 'Switch to light theme' : 'Switch to dark theme'}
            onClick={toggleTheme}
          />
        </div>

        {bootError && (
          <Callout intent="danger" title="Ledgerdesk could not start" className="ld-gap">
            <p>{bootError}</p>
            <Button size="small" onClick={() => void init()} text="Retry" />
          </Callout>
        )}

        <form onSubmit={onSubmit} noValidate aria-describedby={error ? 'signin-error' : undefined}>
          <FormGroup
            label="Server URL"
            labelFor="signin-server"
            helperText={issue('serverUrl')}
            intent={fieldIntent('serverUrl')}
          >
            <InputGroup
              id="signin-server"
              name="serverUrl"
              size="small"
              type="url"
              leftIcon="globe-network"
              value={serverUrl}
              onValueChange={setServerUrl}
              intent={fieldIntent('serverUrl')}
              autoComplete="url"
              spellCheck={false}
            />
          </FormGroup>
          <FormGroup
            label="User name"
            labelFor="signin-username"
            helperText={issue('username')}
            intent={fieldIntent('username')}
          >
            <InputGroup
              id="signin-username"
              name="username"
              inputRef={userRef}
              size="small"
              leftIcon="person"
              value={username}
              onValueChange={setUsername}
              intent={fieldIntent('username')}
              autoComplete="username"
              spellCheck={false}
            />
          </FormGroup>
          <FormGroup
            label="Password"
            labelFor="signin-password"
            helperText={issue('password')}
            intent={fieldIntent('password')}
          >
            <InputGroup
              id="signin-password"
              name="password"
              inputRef={passwordRef}
              size="small"
              type="password"
              leftIcon="lock"
              value={password}
              onValueChange={setPassword}
              intent={fieldIntent('password')}
              autoComplete="current-password"
            />
          </FormGroup>

          {error && (
            <Callout
              id="signin-error"
              intent={error.code === 'session_ended' ? 'warning' : 'danger'}
              role="alert"
              className="ld-gap"
              title={error.code === 'session_ended' ? 'Signed out' : 'Sign-in failed'}
            >
              <div data-testid="signin-error">{error.message}</div>
              {CODE_HINT[error.code] && <div className="ld-muted ld-small">{CODE_HINT[error.code]}</div>}
              {otherIssues.length > 0 && (
                <ul className="ld-issues">
                  {otherIssues.map((i) => (
                    <li key={`${i.path}:${i.message}`}>{issueInWords(i)}</li>
                  ))}
                </ul>
              )}
            </Callout>
          )}

          <Button type="submit" intent="primary" fill loading={signingIn} text="Sign in" endIcon="log-in" />
        </form>

        <Callout className="ld-demo-hint" icon="info-sign" compact>
          Demo users <Code>operator1</Code> <Code>lead1</Code> <Code>qa1</Code> <Code>trainer1</Code>{' '}
          <Code>admin1</Code>, password <Code>ledgerdesk-demo</Code>.
        </Callout>
        {appInfo && (
          <div className="ld-signin-foot ld-muted">
            v{appInfo.version} · {appInfo.mode === 'electron' ? 'Desktop' : 'Browser mode'}
          </div>
        )}
      </Card>
    </main>
  );
}
