import { migration as m0001 } from './0001_initial';
import { migration as m0002 } from './0002_leases_conflicts';
import { migration as m0003 } from './0003_summary_columns';
import { migration as m0004 } from './0004_sop_cache_checklist_drafts';
import { migration as m0005 } from './0005_resolution_drafts';
import { migration as m0006 } from './0006_evidence_apart';
import { migration as m0007 } from './0007_search_sort_indexes';
import { migration as m0008 } from './0008_evidence_files';
import { migration as m0009 } from './0009_returned_reason';
import { migration as m0010 } from './0010_search_parties';
import { migration as m0011 } from './0011_notes';
import { migration as m0012 } from './0012_currency_variance_sort';
import type { Migration } from './migration';

/**
 * The desktop store's migrations, one file each, in order. A shipped migration is never edited
 * (test/unit/migration-checksums.test.ts holds each file to its SHA-256): add the next number
 * as its own file, import it here and append it below. 1-6 are from before migrations only
 * added (3 turns the summary JSON into columns, 6 moves evidence to its own table); from 7 on a
 * migration only adds: desks run older versions for days (test/integration/additive-migrations.test.ts).
 */
export const MIGRATIONS: readonly Migration[] = [
  m0001,
  m0002,
  m0003,
  m0004,
  m0005,
  m0006,
  m0007,
  m0008,
  m0009,
  m0010,
  m0011,
  m0012,
];
