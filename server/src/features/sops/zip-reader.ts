import { crc32, inflateRawSync } from 'node:zlib';

/**
 * The one place that reads ZIP archives (module folders and .xlsx workbooks), with the limits an
 * upload from the network needs. Written on node:zlib because no maintained zip reader is a
 * dependency yet; swap the body for yauzl or fflate when one is, keeping this interface.
 *
 * Refused, each with a sentence: ZIP64 and encrypted archives, more than `maxEntries` entries,
 * an entry whose name is absolute, has a drive letter, a backslash, a NUL, "." or ".." segments
 * (zip-slip), a symbolic link, a duplicate name, an entry larger than `maxEntryBytes`, a total
 * larger than `maxTotalBytes`, a compression ratio above `maxRatio` (zip bombs), and any entry
 * whose inflated bytes differ from what the directory declares (size or CRC-32). Inflation is
 * capped by zlib's `maxOutputLength`, so a lying directory cannot make us allocate more.
 */

export interface ZipLimits {
  maxEntries: number;
  maxEntryBytes: number;
  maxTotalBytes: number;
  maxRatio: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 500,
  maxEntryBytes: 2 * 1024 * 1024,
  maxTotalBytes: 16 * 1024 * 1024,
  maxRatio: 200,
};

export interface ZipEntry {
  readonly path: string;
  readonly bytes: Buffer;
}

export class ZipRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZipRefused';
  }
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const UNIX = 3;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
/** Tiny files compress far beyond any ratio without being a bomb. */
const RATIO_FLOOR_BYTES = 64 * 1024;

export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5);
}

function findEndOfCentralDirectory(buf: Buffer): number {
  const stop = Math.max(0, buf.length - 22 - 0xffff);
  for (let i = buf.length - 22; i >= stop; i -= 1) if (buf.readUInt32LE(i) === EOCD) return i;
  throw new ZipRefused('not a ZIP archive (no end of central directory)');
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function entryName(raw: Buffer): string {
  let name: string;
  try {
    name = utf8.decode(raw);
  } catch {
    throw new ZipRefused('an entry name is not valid UTF-8');
  }
  const shown = JSON.stringify(name.slice(0, 200));
  if (name.includes('\u0000')) throw new ZipRefused(`entry ${shown} has a NUL in its name`);
  if (name.includes('\\')) throw new ZipRefused(`entry ${shown} has a backslash in its name`);
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name))
    throw new ZipRefused(`entry ${shown} is an absolute path`);
  const segments = name.replace(/\/$/, '').split('/');
  if (segments.some((s) => s === '..' || s === '.' || s === '')) {
    throw new ZipRefused(`entry ${shown} leaves its folder or has an empty, "." or ".." segment`);
  }
  return name;
}

export function readZip(input: Uint8Array, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipEntry[] {
  const buf = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  if (buf.length < 22) throw new ZipRefused('not a ZIP archive (too short)');
  const end = findEndOfCentralDirectory(buf);
  const count = buf.readUInt16LE(end + 10);
  const cdSize = buf.readUInt32LE(end + 12);
  const cdOffset = buf.readUInt32LE(end + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) throw new ZipRefused('ZIP64 archives are not accepted');
  if (count > limits.maxEntries) throw new ZipRefused(`more than ${limits.maxEntries} entries`);
  if (cdOffset + cdSize > end) throw new ZipRefused('the central directory lies outside the archive');
  const entries: ZipEntry[] = [];
  const names = new Set<string>();
  let total = 0;
  let at = cdOffset;
  for (let i = 0; i < count; i += 1) {
    if (at + 46 > end || buf.readUInt32LE(at) !== CENTRAL)
      throw new ZipRefused('the central directory is damaged');
    const madeBy = buf.readUInt16LE(at + 4) >> 8;
    const flags = buf.readUInt16LE(at + 8);
    const method = buf.readUInt16LE(at + 10);
    const crc = buf.readUInt32LE(at + 16);
    const compressed = buf.readUInt32LE(at + 20);
    const size = buf.readUInt32LE(at + 24);
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    const mode = buf.readUInt32LE(at + 38) >>> 16;
    const localAt = buf.readUInt32LE(at + 42);
    if (at + 46 + nameLen > end) throw new ZipRefused('the central directory is damaged');
    const name = entryName(buf.subarray(at + 46, at + 46 + nameLen));
    at += 46 + nameLen + extraLen + commentLen;
    if (names.has(name)) throw new ZipRefused(`entry ${JSON.stringify(name)} appears twice`);
    names.add(name);
    if (madeBy === UNIX && (mode & S_IFMT) === S_IFLNK) {
      throw new ZipRefused(`entry ${JSON.stringify(name)} is a symbolic link`);
    }
    if (name.endsWith('/')) continue;
    if (flags & 1) throw new ZipRefused(`entry ${JSON.stringify(name)} is encrypted`);
    if (size > limits.maxEntryBytes) {
      throw new ZipRefused(`entry ${JSON.stringify(name)} is larger than ${limits.maxEntryBytes} bytes`);
    }
    total += size;
    if (total > limits.maxTotalBytes) {
      throw new ZipRefused(`the archive unpacks to more than ${limits.maxTotalBytes} bytes`);
    }
    if (size > RATIO_FLOOR_BYTES && size > compressed * limits.maxRatio) {
      throw new ZipRefused(`entry ${JSON.stringify(name)} is compressed more than ${limits.maxRatio} to 1`);
    }
    if (localAt + 30 > buf.length || buf.readUInt32LE(localAt) !== LOCAL) {
      throw new ZipRefused(`entry ${JSON.stringify(name)} has no local header`);
    }
    const start = localAt + 30 + buf.readUInt16LE(localAt + 26) + buf.readUInt16LE(localAt + 28);
    if (start + compressed > buf.length) throw new ZipRefused(`entry ${JSON.stringify(name)} is cut short`);
    const data = buf.subarray(start, start + compressed);
    let bytes: Buffer;
    if (method === 0) bytes = Buffer.from(data);
    else if (method === 8) {
      try {
        bytes = inflateRawSync(data, { maxOutputLength: Math.max(1, size) });
      } catch {
        throw new ZipRefused(`entry ${JSON.stringify(name)} does not inflate to its declared size`);
      }
    } else throw new ZipRefused(`entry ${JSON.stringify(name)} uses compression method ${method}`);
    if (bytes.length !== size || crc32(bytes) !== crc) {
      throw new ZipRefused(`entry ${JSON.stringify(name)} does not match its declared size or CRC-32`);
    }
    entries.push({ path: name, bytes });
  }
  return entries;
}
