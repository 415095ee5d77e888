import * as m0001 from './0001_initial';
import * as m0002 from './0002_work_sync_audit';
import * as m0003 from './0003_sops_checklists_approvals';
import * as m0004 from './0004_audit_by_entity';
import * as m0005 from './0005_push_idempotency_by_user';
import * as m0006 from './0006_sign_in_throttle_sessions';
import * as m0007 from './0007_rejected_write_off_returns';
import * as m0008 from './0008_evidence_files';
import * as m0009 from './0009_skip_cooldown';
import * as m0010 from './0010_qa_draws';
import * as m0011 from './0011_ingest_batches_staging';
import * as m0012 from './0012_recon';
import * as m0013 from './0013_qa_reviews';
import * as m0014 from './0014_sop_library_certification';
import * as m0015 from './0015_kpis_close';
import * as m0016 from './0016_recon_run_matches';
import * as m0017 from './0017_kpi_aggregates';
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * In order. Never edit a released migration; add the next number. From 0005 on a migration only
 * adds (no dropped, renamed or retyped table or column): test/integration/additive-migrations.test.ts.
 */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, ...m0001 },
  { version: 2, ...m0002 },
  { version: 3, ...m0003 },
  { version: 4, ...m0004 },
  { version: 5, ...m0005 },
  { version: 6, ...m0006 },
  { version: 7, ...m0007 },
  { version: 8, ...m0008 },
  { version: 9, ...m0009 },
  { version: 10, ...m0010 },
  { version: 11, ...m0011 },
  { version: 12, ...m0012 },
  { version: 13, ...m0013 },
  { version: 14, ...m0014 },
  { version: 15, ...m0015 },
  { version: 16, ...m0016 },
  { version: 17, ...m0017 },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
