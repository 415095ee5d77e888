import { statSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createFileSecretStore } from '../../electron/services/session/secret-store';
import { tempDir } from '../support/temp-dir';

const tmp = tempDir('secrets');
afterAll(() => tmp.remove());

describe('file secret store (browser mode)', () => {
  it('keeps values across instances in a file only its owner can read', () => {
    const file = tmp.path('nested/secrets.json');
    createFileSecretStore(file).set('refreshToken', 'abc');
    const again = createFileSecretStore(file);
    expect(again.get('refreshToken')).toBe('abc');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    again.delete('refreshToken');
    expect(createFileSecretStore(file).get('refreshToken')).toBeNull();
  });

  it('reads a corrupt file as empty', () => {
    const file = tmp.path('corrupt.json');
    writeFileSync(file, '{not json');
    expect(createFileSecretStore(file).get('x')).toBeNull();
  });
});
