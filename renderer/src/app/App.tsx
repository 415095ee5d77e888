import { useEffect } from 'react';
import { Classes, HotkeysProvider, NonIdealState, Spinner } from '@blueprintjs/core';
import { useSession } from '../state/session';
import { useUi } from '../state/ui';
import { SignInScreen } from '../features/sign-in/SignInScreen';
import { AppShell } from './AppShell';
import { StoreRecoveryNotice } from './StoreRecoveryNotice';
import { ShortcutsDialog } from './ShortcutsDialog';

export function App() {
  const phase = useSession((s) => s.phase);
  const theme = useUi((s) => s.theme);

  useEffect(() => {
    void useSession.getState().init();
  }, []);

  // Blueprint and AG Grid both read the theme from the body: one switch for the whole app.
  useEffect(() => {
    document.body.classList.toggle(Classes.DARK, theme === 'dark');
    document.body.dataset.agThemeMode = theme;
    document.documentElement.style.colorScheme = theme;
  }, [theme]);

  return (
    <HotkeysProvider
      renderDialog={(state, { handleDialogClose }) => (
        <ShortcutsDialog isOpen={state.isDialogOpen} hotkeys={state.hotkeys} onClose={handleDialogClose} />
      )}
    >
      {phase === 'loading' ? (
        <main className="ld-boot" aria-busy="true">
          <NonIdealState icon={<Spinner size={28} aria-label="Loading" />} title="Starting Ledgerdesk…" />
        </main>
      ) : phase === 'signed_out' ? (
        <SignInScreen />
      ) : (
        <AppShell />
      )}
      {phase !== 'loading' && <StoreRecoveryNotice />}
    </HotkeysProvider>
  );
}
