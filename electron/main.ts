import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, session } from 'electron';
import { CONTENT_SECURITY_POLICY } from '@shared/security/csp';
import { bindBridge } from './ipc';
import { createSafeSecretStore } from './secret-store-safe';
import { createAppServices, type AppServices } from './services/app-services';
import { StoreTooNewError } from './services/store/migrations';

/**
 * App lifecycle and the one place windows are made. Security settings follow Electron's
 * checklist: sandboxed renderer with context isolation and no Node, a strict CSP header, no
 * remote content, navigation / new windows / webviews / permission requests all denied.
 */

const here = fileURLToPath(new URL('.', import.meta.url));
const rendererIndex = join(here, '../renderer/index.html');
const devServerUrl = process.env.ELECTRON_RENDERER_URL;
const defaultServerUrl = process.env.LEDGERDESK_SERVER_URL ?? 'http://127.0.0.1:4780';

const appPageUrl = devServerUrl ?? pathToFileURL(rendererIndex).toString();
const isAppUrl = (url: string): boolean => {
  const base = url.split('#')[0]?.split('?')[0] ?? '';
  return devServerUrl ? url.startsWith(devServerUrl) : base === appPageUrl;
};

app.enableSandbox();
if (!app.requestSingleInstanceLock()) app.quit();

let services: AppServices | undefined;
let mainWindow: BrowserWindow | undefined;

function lockDownSessions(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });
  // The renderer needs no network: the main process talks to the central API. Only our own
  // files (and the dev server while developing) may load.
  ses.webRequest.onBeforeRequest((details, callback) => {
    const allowed =
      details.url.startsWith('file://') ||
      details.url.startsWith('devtools://') ||
      (devServerUrl !== undefined && details.url.startsWith(new URL(devServerUrl).origin));
    callback({ cancel: !allowed });
  });
}

app.on('web-contents-created', (_event, contents) => {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

async function createMainWindow(appServices: AppServices): Promise<BrowserWindow> {
  const window = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    title: 'Ledgerdesk',
    backgroundColor: '#1c2127',
    webPreferences: {
      preload: join(here, '../preload/preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
      // Middle-click must not open links in new windows (Electronegativity AUXCLICK_JS_CHECK).
      disableBlinkFeatures: 'Auxclick',
    },
  });
  const unbind = bindBridge(appServices, window, isAppUrl);
  window.on('closed', unbind);
  window.once('ready-to-show', () => window.show());
  await window.loadURL(appPageUrl);
  return window;
}

app.on('second-instance', () => {
  if (mainWindow) {
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  }
});

app.on('window-all-closed', () => {
  app.quit();
});

app.on('will-quit', () => {
  void services?.close();
});

void app.whenReady().then(async () => {
  lockDownSessions();
  const dataDir = app.getPath('userData');
  try {
    services = await createAppServices({
      dataDir,
      secretStore: createSafeSecretStore(dataDir),
      mode: 'electron',
      defaultServerUrl,
      version: app.getVersion(),
    });
  } catch (err) {
    // Chiefly a local database written by a newer version (StoreTooNewError, left untouched):
    // the operator reads why in words and the app quits, rather than crashing or corrupting it.
    dialog.showErrorBox(
      'Ledgerdesk cannot open its local data',
      err instanceof StoreTooNewError
        ? `${err.message}.\n\nYour local data was not changed.`
        : err instanceof Error
          ? err.message
          : String(err),
    );
    app.quit();
    return;
  }
  await services.start();
  mainWindow = await createMainWindow(services);
});
