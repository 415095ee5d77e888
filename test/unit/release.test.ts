import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RELEASE } from '@shared/release';
import { defaultConfig } from '../../server/src/config';

describe('one release number', () => {
  it('the shared release is package.json version, which Electron reports as the app version', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(RELEASE).toBe(pkg.version);
  });

  it('the server reports the same release on /api/health', () => {
    expect(defaultConfig().version).toBe(RELEASE);
  });
});
