import * as XLSX from 'xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prng } from '@shared/demo/prng';
import { FORMATS } from '@shared/ingest/format-registry';
import type { ImportSummary } from '@shared/ingest/summary';
import { migrate } from '../../server/src/db/migrate';
import { openDatabase } from '../../server/src/db/open';
import type { Database } from '../../server/src/db/types';
import { importFile } from '../../server/src/features/ingest/import-file';
import { STAGING_TABLES } from '../../server/src/features/ingest/staging-tables';
import { fixtureFile, fixtureTable } from '../support/ingest-fixtures';
import { databaseTargets, type FreshDatabase } from './helpers/databases';

/**
 * Acceptance 4: seeded mutations of valid files, CSV and xlsx, until at least 500 of each are
 * rejected. Every input must end as imported or rejected (never a crash); a rejection lists
 * problems that name the file, a row inside it and what was expected; and the staging tables
 * change by exactly the rows of imported files, so nothing of a rejected file is ever stored.
 */

const SEED = 13_2026;
const REJECTED_PER_MEDIUM = 500;
const MAX_ATTEMPTS_PER_MEDIUM = 2_500;

const NASTY_CHARS = [',', '"', '\n', '\r', '(', ')', '.', '-', 'x', '\u0000', 'é', ';', ' ', '\uFEFF', '1'];
const NASTY_CELLS = [
  '',
  'abc',
  '1e5',
  'NaN',
  '∞',
  '--1',
  '(1',
  '1,2,3',
  '2026-02-30',
  '9'.repeat(30),
  '"',
  'null',
  '1.2.3',
  '\u0007',
  'X'.repeat(600),
  '12,34',
];

const enc = new TextEncoder();
const dec = new TextDecoder();

function pick<T>(rng: Prng, list: readonly T[]): T {
  return list[Math.floor(rng.next() * list.length)] as T;
}
const int = (rng: Prng, n: number): number => Math.floor(rng.next() * n);

/** One mutation of a CSV file's text or bytes. */
function mutateCsv(rng: Prng, bytes: Uint8Array): Uint8Array {
  const text = dec.decode(bytes);
  const lines = text.split('\r\n');
  const at = int(rng, text.length);
  switch (int(rng, 9)) {
    case 0:
      return enc.encode(text.slice(0, at) + text.slice(at + 1));
    case 1:
      return enc.encode(text.slice(0, at) + pick(rng, NASTY_CHARS) + text.slice(at));
    case 2:
      return enc.encode(text.slice(0, at));
    case 3: {
      const r = 1 + int(rng, Math.max(1, lines.length - 3));
      const cells = (lines[r] ?? '').split(',');
      cells[int(rng, cells.length)] = pick(rng, NASTY_CELLS);
      lines[r] = cells.join(',');
      return enc.encode(lines.join('\r\n'));
    }
    case 4:
      lines.splice(2 + int(rng, Math.max(1, lines.length - 4)), 0, lines[0] ?? '');
      return enc.encode(lines.join('\r\n'));
    case 5: {
      const cells = (lines[0] ?? '').split(',');
      cells[int(rng, cells.length)] = cells[int(rng, cells.length)] ?? '';
      lines[0] = cells.join(',');
      return enc.encode(lines.join('\r\n'));
    }
    case 6: {
      const cells = (lines[0] ?? '').split(',');
      cells.splice(int(rng, cells.length), 1);
      lines[0] = cells.join(',');
      return enc.encode(lines.join('\r\n'));
    }
    case 7: {
      const out = bytes.slice();
      for (let k = 0; k < 3; k++) out[int(rng, out.length)] = int(rng, 256);
      return out;
    }
    default: {
      lines.splice(1 + int(rng, Math.max(1, lines.length - 3)), 0, '');
      return enc.encode(lines.join('\r\n'));
    }
  }
}

/** One mutation of an xlsx file: its cells (written again by SheetJS) or its zip bytes. */
function mutateXlsx(rng: Prng, bytes: Uint8Array): Uint8Array {
  const kind = int(rng, 6);
  if (kind === 0) {
    const out = bytes.slice();
    for (let k = 0; k < 1 + int(rng, 8); k++) out[int(rng, out.length)] = int(rng, 256);
    return out;
  }
  if (kind === 1) return bytes.slice(0, int(rng, bytes.length));
  const book = XLSX.read(bytes, { type: 'buffer', cellNF: true });
  const name = book.SheetNames[0] as string;
  const sheet = book.Sheets[name] as XLSX.WorkSheet;
  const range = XLSX.utils.decode_range(sheet['!ref'] ?? 'A1');
  const rows = Math.max(2, range.e.r);
  const cell = XLSX.utils.encode_cell({
    r: kind === 4 ? 0 : 1 + int(rng, rows - 1),
    c: int(rng, range.e.c + 1),
  });
  if (kind === 2) sheet[cell] = { t: 's', v: pick(rng, NASTY_CELLS) };
  else if (kind === 3)
    sheet[cell] = pick(rng, [
      { t: 'e', v: 0x2a } as XLSX.CellObject,
      { t: 'n', v: Number.NaN } as XLSX.CellObject,
      { t: 'n', v: 1e300 } as XLSX.CellObject,
      { t: 'b', v: true } as XLSX.CellObject,
      { t: 'n', v: -0.000001, z: 'yyyy-mm-dd' } as XLSX.CellObject,
    ]);
  else if (kind === 4) sheet[cell] = { t: 's', v: pick(rng, ['', 'Unknown Column', 'amount', '\uFEFFx']) };
  else {
    // A copy of the header row lands between data rows (two exports pasted together).
    const r = 1 + int(rng, rows - 1);
    for (let c = 0; c <= range.e.c; c++) {
      const head = sheet[XLSX.utils.encode_cell({ r: 0, c })] as XLSX.CellObject | undefined;
      sheet[XLSX.utils.encode_cell({ r, c })] = { t: 's', v: String(head?.v ?? '') };
    }
  }
  return new Uint8Array(XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
}

async function storedRows(db: Database): Promise<{ rows: number; batches: number }> {
  const union = Object.values(STAGING_TABLES)
    .map(({ table }) => `SELECT count(*) AS n FROM ${table}`)
    .join(' UNION ALL ');
  const r = await db.query<{ rows: string; batches: string }>(
    `SELECT (SELECT sum(n) FROM (${union}) t) AS rows, (SELECT count(*) FROM ingest_batches) AS batches`,
  );
  return { rows: Number(r[0]?.rows ?? 0), batches: Number(r[0]?.batches ?? 0) };
}

describe.each(databaseTargets())('import fuzzing on $kind', (target) => {
  let fresh: FreshDatabase;
  let db: Database;
  beforeAll(async () => {
    fresh = await target.fresh();
    db = await openDatabase(fresh.options);
    await migrate(db);
  });
  afterAll(async () => {
    await db.close();
    await fresh.cleanup();
  });

  it.each(['csv', 'xlsx'] as const)(
    'rejects at least 500 mutated %s files with clear errors, no crash and nothing partly stored',
    async (medium) => {
      const rng = new Prng(SEED + (medium === 'csv' ? 0 : 1));
      const bases = FORMATS.map((f) => ({ ...fixtureFile(f, medium, 5), rows: fixtureTable(f, medium, 5) }));
      const mutate = medium === 'csv' ? mutateCsv : mutateXlsx;
      let rejected = 0;
      let imported = 0;
      let attempts = 0;
      let before = await storedRows(db);
      while (rejected < REJECTED_PER_MEDIUM && attempts < MAX_ATTEMPTS_PER_MEDIUM) {
        attempts += 1;
        const base = pick(rng, bases);
        const fileName = `fuzz-${attempts}-${base.fileName}`;
        const bytes = mutate(rng, base.bytes);
        let summary: ImportSummary;
        try {
          summary = await importFile(db, { fileName, bytes, importedBy: 'fuzz' });
        } catch (error) {
          throw new Error(`${fileName} crashed the import: ${String(error)}`, { cause: error });
        }
        const after = await storedRows(db);
        if (summary.outcome === 'rejected') {
          rejected += 1;
          expect(summary.problems.length, fileName).toBeGreaterThan(0);
          for (const p of summary.problems) {
            expect(p.file).toBe(fileName);
            expect(
              Number.isInteger(p.row) && p.row >= 0 && p.row <= base.rows.rows.length + 3,
              `${fileName} row ${p.row}`,
            ).toBe(true);
            expect(p.column.length, fileName).toBeGreaterThan(0);
            expect(p.message, `${fileName}: ${p.message}`).toMatch(/expected/);
          }
          expect(after, `${fileName} was rejected but stored something`).toEqual(before);
        } else if (summary.outcome === 'imported') {
          imported += 1;
          expect(after).toEqual({ rows: before.rows + summary.rows, batches: before.batches + 1 });
        } else {
          expect(summary.outcome, fileName).toBe('already_imported');
          expect(after).toEqual(before);
        }
        before = after;
      }
      expect(rejected, `${attempts} attempts, ${imported} still valid`).toBe(REJECTED_PER_MEDIUM);
    },
    600_000,
  );
});
