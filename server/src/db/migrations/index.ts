import * as m0001 from './0001_initial';
import * as m0002 from './0002_work_sync_audit';
import * as m0003 from './0003_sops_checklists_approvals';
import * as m0004 from './0004_audit_by_entity';
import * as m0007 from './0007_evidence_files';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** In order. Never edit a released migration; add the next number. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, ...m0001 },
  { version: 2, ...m0002 },
  { version: 3, ...m0003 },
  { version: 4, ...m0004 },
  // 0007 is this branch's reserved number; 0005/0006 land from parallel branches.
  { version: 7, ...m0007 },
];

export const LATEST_SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));
