/**
 * The version of the push / pull protocol. Desks stay offline for days and meet a newer server
 * (or an older one after a rollback), so each request says which protocol it speaks and the
 * server either serves it or answers "update required" (HTTP 426) instead of misreading it.
 *
 * 1: the first desks, which send no version (the server reads a missing header as 1).
 * 2: requests carry the version header; the server states its time (Date header) on every answer.
 */
export const SYNC_PROTOCOL_VERSION = 2;

/** The oldest version the server still serves: the previous one, at least. */
export const MIN_SYNC_PROTOCOL_VERSION = 1;

/** Request header carrying the version (a missing header means version 1). */
export const SYNC_PROTOCOL_HEADER = 'ledgerdesk-sync-protocol';
