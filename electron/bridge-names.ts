/** The two raw Electron IPC channel names the typed bridge rides on. */
export const BRIDGE_INVOKE = 'ledgerdesk:invoke';
export const BRIDGE_EVENT = 'ledgerdesk:event';
