import { ipcMain, type BrowserWindow, type WebFrameMain } from 'electron';
import type { BridgeResult } from '@shared/ipc/envelope';
import { BRIDGE_EVENT, BRIDGE_INVOKE } from './bridge-names';
import type { AppServices } from './services/app-services';

/**
 * Binds the service router to Electron IPC. The router validates every input against the
 * channel map; here we only decide whether the caller may talk to it at all: the main frame of
 * our own window, showing our own page. Anything else (a subframe, a navigated-away page, a
 * devtools extension) is refused.
 */
export function bindBridge(
  services: AppServices,
  window: BrowserWindow,
  isAppUrl: (url: string) => boolean,
): () => void {
  const isTrusted = (frame: WebFrameMain | null): boolean =>
    frame !== null && frame === window.webContents.mainFrame && isAppUrl(frame.url);

  ipcMain.handle(
    BRIDGE_INVOKE,
    async (event, channel: unknown, input: unknown): Promise<BridgeResult<unknown>> => {
      if (!isTrusted(event.senderFrame)) {
        return {
          ok: false,
          error: { code: 'forbidden_sender', message: 'this page may not use the Ledgerdesk bridge' },
        };
      }
      if (typeof channel !== 'string') {
        return { ok: false, error: { code: 'unknown_channel', message: 'channel must be a string' } };
      }
      return services.router.dispatch(channel, input);
    },
  );

  const unsubscribe = services.subscribe((name, payload) => {
    if (!window.isDestroyed()) window.webContents.send(BRIDGE_EVENT, name, payload);
  });

  return () => {
    ipcMain.removeHandler(BRIDGE_INVOKE);
    unsubscribe();
  };
}
