import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { safeStorage } from 'electron';
import type { SecretStore } from './services/session/secret-store';

/**
 * Secrets (the refresh token) encrypted with the OS keychain through Electron's safeStorage
 * (Keychain on macOS, DPAPI on Windows, libsecret/kwallet on Linux). Where no keychain is
 * available, secrets stay in memory only: the operator signs in again after a restart rather
 * than have a token written in clear text.
 */
export function createSafeSecretStore(dataDir: string): SecretStore {
  const file = join(dataDir, 'secrets.bin');
  const persistent = safeStorage.isEncryptionAvailable();
  const memory = new Map<string, string>();

  const load = (): Record<string, string> => {
    if (!persistent || !existsSync(file)) return {};
    try {
      const plain = safeStorage.decryptString(readFileSync(file));
      const parsed: unknown = JSON.parse(plain);
      if (parsed && typeof parsed === 'object') {
        return Object.fromEntries(
          Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'),
        );
      }
    } catch {
      // A file from another OS user or a reset keychain cannot be read: start signed out.
    }
    return {};
  };
  const save = (values: Record<string, string>): void => {
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, safeStorage.encryptString(JSON.stringify(values)), { mode: 0o600 });
    renameSync(tmp, file);
  };

  return {
    get(key) {
      return persistent ? (load()[key] ?? null) : (memory.get(key) ?? null);
    },
    set(key, value) {
      if (!persistent) {
        memory.set(key, value);
        return;
      }
      save({ ...load(), [key]: value });
    },
    delete(key) {
      if (!persistent) {
        memory.delete(key);
        return;
      }
      const values = load();
      delete values[key];
      save(values);
    },
  };
}
