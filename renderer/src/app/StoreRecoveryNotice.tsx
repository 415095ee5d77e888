import { Button, Dialog, DialogBody, DialogFooter } from '@blueprintjs/core';
import { useState } from 'react';
import { NO_TRANSITION } from '../lib/overlay';
import { useSession } from '../state/session';

/**
 * Start-up found the local database damaged and replaced it (electron/services/store/recovery.ts):
 * the operator is told what was kept before working on, once per start.
 */
export function StoreRecoveryNotice() {
  const recovery = useSession((s) => s.appInfo?.storeRecovery ?? null);
  const [dismissed, setDismissed] = useState(false);
  if (!recovery) return null;
  return (
    <Dialog
      {...NO_TRANSITION}
      isOpen={!dismissed}
      onClose={() => setDismissed(true)}
      title="The local database was repaired"
      icon="database"
    >
      <DialogBody>
        <p data-testid="store-recovery-message">{recovery.message}</p>
      </DialogBody>
      <DialogFooter
        actions={<Button intent="primary" text="OK" autoFocus onClick={() => setDismissed(true)} />}
      />
    </Dialog>
  );
}
