import type { AttachmentRef } from '@shared/sop/module';
import { call } from '../bridge';

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${Math.ceil(n / 1024)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

/** btoa over 32 KB slices: one String.fromCharCode of 10 MB would overflow the call stack. */
export function toBase64(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

function fromBase64(data: string): Uint8Array<ArrayBuffer> {
  const binary = atob(data);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * Saves an attached file through the browser's download (never opened in the app's page): from
 * this computer's store, or for a lead or QA from the server (kept here from then on).
 */
export async function saveEvidence(ref: AttachmentRef): Promise<void> {
  if (!ref.sha256) return;
  const file = await call('evidence.read', { sha256: ref.sha256 });
  saveBytes(file.name, file.type, file.data);
}

/** Hands base64 bytes to the browser's download, under `name`. */
export function saveBytes(name: string, type: string, data: string): void {
  const url = URL.createObjectURL(new Blob([fromBase64(data)], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
