import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Where the refresh token lives. Electron uses the OS keychain (electron/secret-store-safe.ts). */
export interface SecretStore {
  get(key: string): string | null;
  set(key: string, value: string): void;
  delete(key: string): void;
}

/**
 * Browser mode only: a JSON file readable by the OS user alone (0600). It is not encrypted, so
 * it protects the token from other users on the machine, not from this user's own processes.
 */
export function createFileSecretStore(file: string): SecretStore {
  const load = (): Record<string, string> => {
    if (!existsSync(file)) return {};
    try {
      const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
        return Object.fromEntries(
          Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'),
        );
      }
    } catch {
      // A corrupt file reads as empty: the operator signs in again.
    }
    return {};
  };
  const save = (values: Record<string, string>): void => {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(values), { mode: 0o600 });
    // mode applies only on creation; a leftover tmp file may have other bits.
    chmodSync(tmp, 0o600);
    renameSync(tmp, file);
  };

  return {
    get: (key) => load()[key] ?? null,
    set(key, value) {
      save({ ...load(), [key]: value });
    },
    delete(key) {
      const values = load();
      if (!(key in values)) return;
      delete values[key];
      save(values);
    },
  };
}

/** For tests and for a keychain-less Electron: secrets that end with the process. */
export function createMemorySecretStore(): SecretStore {
  const values = new Map<string, string>();
  return {
    get: (key) => values.get(key) ?? null,
    set: (key, value) => void values.set(key, value),
    delete: (key) => void values.delete(key),
  };
}
