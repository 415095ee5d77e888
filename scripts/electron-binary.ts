import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where the Electron binary is, or null. Requiring the `electron` package would try to download
 * it (Electron 45+ fetches lazily), which hangs or fails on machines without internet, so we
 * read the path file the package writes instead.
 */
export function electronBinary(root = process.cwd()): string | null {
  const pkg = join(root, 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  if (override) {
    const candidate = join(override, relative ?? 'electron');
    return existsSync(candidate) ? candidate : null;
  }
  if (!relative) return null;
  const binary = join(pkg, 'dist', relative);
  return existsSync(binary) ? binary : null;
}
