import { createHash, randomUUID } from 'node:crypto';
import type { EvidenceAttachInput, EvidenceFileView } from '@shared/evidence/attach';
import { EVIDENCE_MAX_BYTES, safeEvidenceName, verifyEvidenceType } from '@shared/evidence/file-type';
import { attachmentRefsOf } from '@shared/evidence/refs';
import type { AttachmentRef } from '@shared/sop/module';
import { BridgeFailure } from '../bridge/bridge-failure';
import { ServerError, type AccessTokenSource, type ServerClient } from '../session/server-client';
import type { EvidenceFile } from '../store/evidence-file-repo';
import type { OutboxEntry } from '../store/outbox-repo';
import type { LocalStore } from '../store/local-store';
import type { SyncContext } from '../sync/sync-step';

const MAX_MB = EVIDENCE_MAX_BYTES / (1024 * 1024);
const ALLOWED = 'PDF, PNG, JPEG, CSV, text, e-mail (.eml) or Excel (.xlsx)';

export interface EvidenceFileService {
  /** Checks and keeps a file here (offline too); answers the reference for a file answer. */
  attach(input: EvidenceAttachInput): AttachmentRef;
  /** The local copy; else (a lead or QA reviewing others' work) the server's, kept from then on. */
  read(sha256: string): Promise<EvidenceFileView>;
}

export interface EvidenceFileServiceOptions {
  store: LocalStore;
  /** The signed-in client, for files not on this computer; throws when signed out. */
  client?: () => ServerClient;
  tokens?: AccessTokenSource;
  now?: () => Date;
}

const view = (file: EvidenceFile): EvidenceFileView => ({
  sha256: file.sha256,
  name: file.name,
  type: file.type,
  size: file.size,
  data: Buffer.from(file.bytes).toString('base64'),
});

export function createEvidenceFileService({
  store,
  client,
  tokens,
  now = () => new Date(),
}: EvidenceFileServiceOptions): EvidenceFileService {
  async function fetchFromServer(sha256: string): Promise<EvidenceFile | null> {
    if (!client || !tokens) return null;
    let got: Awaited<ReturnType<ServerClient['downloadEvidence']>>;
    try {
      got = await client().downloadEvidence(sha256, tokens);
    } catch (err) {
      if (err instanceof ServerError && err.isConnectivity) {
        throw new BridgeFailure(
          'offline',
          'That file is not on this computer and the server cannot be reached.',
        );
      }
      throw err;
    }
    if (!got) return null;
    // Trust nothing on the way in either: the bytes must be the file asked for, of an allowed type.
    const bytes = Buffer.from(got.bytes);
    if (createHash('sha256').update(bytes).digest('hex') !== sha256) return null;
    const verdict = verifyEvidenceType(bytes, got.type, got.name);
    if (!verdict.ok) return null;
    const file: EvidenceFile = {
      sha256,
      type: verdict.type,
      size: bytes.length,
      name: safeEvidenceName(got.name, verdict.type),
      bytes,
    };
    store.evidenceFiles.put(file, now().getTime());
    return file;
  }

  return {
    attach(input) {
      const bytes = Buffer.from(input.data, 'base64');
      if (bytes.length === 0) throw new BridgeFailure('invalid_input', 'The file is empty.');
      if (bytes.length > EVIDENCE_MAX_BYTES) {
        throw new BridgeFailure(
          'invalid_input',
          `The file is larger than ${MAX_MB} MB; attach a smaller one.`,
          [{ path: 'data', message: `larger than ${MAX_MB} MB` }],
        );
      }
      const verdict = verifyEvidenceType(bytes, input.declaredType, input.name);
      if (!verdict.ok) {
        throw new BridgeFailure(
          'invalid_input',
          `This file cannot be attached: ${verdict.reason}. Attach a ${ALLOWED} file.`,
          [{ path: 'data', message: verdict.reason }],
        );
      }
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const name = safeEvidenceName(input.name, verdict.type);
      store.evidenceFiles.put(
        { sha256, type: verdict.type, size: bytes.length, name, bytes },
        now().getTime(),
      );
      return { id: randomUUID(), name, type: verdict.type, size: bytes.length, sha256 };
    },
    async read(sha256) {
      const file = store.evidenceFiles.get(sha256) ?? (await fetchFromServer(sha256));
      if (!file) throw new BridgeFailure('not_found', 'That file is not on this computer or on the server.');
      return view(file);
    },
  };
}

/**
 * Before a push batch leaves: upload every file its results name that this server has not yet
 * accepted from this user, so the server never sees a result before its files. No answer (offline,
 * 5xx) throws and the batch waits for the next cycle; a refusal of one file does not stop the
 * outbox: its result goes out and the server rejects that result alone, saying why.
 */
export async function uploadEvidenceFor(ctx: SyncContext, entries: readonly OutboxEntry[]): Promise<void> {
  const server = ctx.client.baseUrl;
  const hashes = new Set<string>();
  for (const e of entries) {
    if (e.body.kind !== 'exception.resolve') continue;
    for (const ref of attachmentRefsOf(e.body.checklist.answers)) if (ref.sha256) hashes.add(ref.sha256);
  }
  for (const sha256 of hashes) {
    if (!ctx.isCurrent()) return;
    if (ctx.store.evidenceFiles.wasSent(sha256, server, ctx.userId)) continue;
    const file = ctx.store.evidenceFiles.get(sha256);
    if (!file) continue;
    try {
      await ctx.client.uploadEvidence(file, ctx.tokens);
    } catch (err) {
      if (err instanceof ServerError && err.kind === 'rejected') continue;
      throw err;
    }
    ctx.store.evidenceFiles.markSent(sha256, server, ctx.userId, ctx.now().getTime());
  }
}
