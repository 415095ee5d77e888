import { readCsv } from './csv-reader';
import type { ReadResult } from './table';
import { readXlsx } from './xlsx-reader';

/** xlsx is a zip: its bytes start with "PK\x03\x04" whatever the file is called. */
function looksLikeZip(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04
  );
}

/** Reads CSV or xlsx by content (and an .xlsx name), never guessing numbers in CSV. */
export function readTable(fileName: string, bytes: Uint8Array): ReadResult {
  if (bytes.length === 0)
    return { ok: false, row: 0, message: 'the file is empty; expected a header row and data' };
  if (looksLikeZip(bytes) || /\.xlsx$/i.test(fileName)) return readXlsx(bytes);
  return readCsv(bytes);
}
