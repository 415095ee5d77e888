import { readFileSync } from 'node:fs';
import { exitWith } from '../../cli-exit';
import { userInfo } from 'node:os';
import { migrate } from '../../db/migrate';
import { openDatabaseFromEnv } from '../../db/open-from-env';
import { FORMAT_NAMES } from '@shared/ingest/format-registry';
import { formatProblem, type ImportSummary } from '@shared/ingest/summary';
import { INGEST_USAGE, parseIngestArgs } from './cli-args';
import { importFile } from './import-file';

/**
 * `npm run ingest -- [--format NAME] [--dry-run] [--json] FILE...` against the server's database
 * (DATABASE_URL, else the PGlite folder LEDGERDESK_SERVER_DATA or .data/server). Exit 0 when
 * every file imported or was already imported (or, with --dry-run, would import); 1 when any
 * file was rejected (FILE:ROW:COLUMN: message lines on stderr, nothing stored from it); 2 when
 * the command line or the database is wrong.
 */
async function main(): Promise<number> {
  const args = parseIngestArgs(process.argv.slice(2));
  if (typeof args === 'string') {
    console.error(`${args}\n${INGEST_USAGE}\nformats: ${FORMAT_NAMES.join(', ')}`);
    return 2;
  }
  const importedBy = process.env.LEDGERDESK_IMPORTED_BY || `cli:${userInfo().username}`;
  const db = await openDatabaseFromEnv();
  let anyRejected = false;
  try {
    await migrate(db);
    for (const file of args.files) {
      let bytes: Uint8Array;
      let summary: ImportSummary;
      try {
        bytes = readFileSync(file);
        summary = await importFile(db, {
          fileName: file,
          bytes,
          ...(args.format ? { format: args.format } : {}),
          dryRun: args.dryRun,
          importedBy,
        });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (!code) throw error;
        summary = unreadable(file, `cannot read the file (${code}); expected a readable CSV or xlsx file`);
      }
      report(summary, args.json, args.dryRun);
      if (summary.outcome === 'rejected') anyRejected = true;
    }
  } finally {
    await db.close();
  }
  return anyRejected ? 1 : 0;
}

function unreadable(file: string, message: string): ImportSummary {
  return {
    file,
    outcome: 'rejected',
    format: null,
    // SHA-256 of no bytes: nothing was read.
    sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    rows: 0,
    batchId: null,
    previous: null,
    problems: [{ file, row: 0, column: '-', message }],
    moreProblems: 0,
  };
}

function report(s: ImportSummary, json: boolean, dryRun: boolean): void {
  for (const p of s.problems) console.error(formatProblem(p));
  if (s.moreProblems > 0) console.error(`${s.file}:0:-: and ${s.moreProblems} more problems`);
  if (json) {
    console.log(JSON.stringify(s));
    return;
  }
  switch (s.outcome) {
    case 'imported':
      console.log(`imported ${s.file}: ${s.rows} rows as ${s.format} (batch ${s.batchId})`);
      break;
    case 'already_imported':
      console.log(
        `already imported ${s.file}: the same bytes came in as ${s.previous?.fileName} (batch ${s.batchId}, by ${s.previous?.importedBy} at ${s.previous?.importedAt}); nothing changed`,
      );
      break;
    case 'valid':
      console.log(
        `valid ${s.file}: ${s.rows} rows as ${s.format}${dryRun ? ' (dry run: nothing stored)' : ''}`,
      );
      break;
    case 'rejected':
      console.error(
        `rejected ${s.file}: ${s.problems.length + s.moreProblems} problems; nothing stored from this file`,
      );
      break;
  }
}

exitWith(main);
