import type { ServerClient } from './session/server-client';
import type { SessionService } from './session/session';
import type { SyncEngine } from './sync/sync-engine';
import type { LocalStore } from './store/local-store';
import type { StoreRecovery } from './store/recovery';
import type { WorkService } from './work/work-service';
import type { ChecklistService } from './checklist/checklist-service';
import type { TeamService } from './team/team-service';
import type { EvidenceService } from './evidence/evidence-service';
import type { NoteService } from './notes/note-service';
import type { EvidenceFileService } from './evidence/evidence-file-service';
import type { KpiClient } from './kpis/kpi-client';

/** What the composition root built, handed to each feature's bridge handlers. */
export interface AppContext {
  info: { version: string; mode: 'electron' | 'browser'; dataDir: string; defaultServerUrl: string };
  recovery: StoreRecovery | null;
  store: LocalStore;
  session: SessionService;
  sync: SyncEngine;
  work: WorkService;
  checklists: ChecklistService;
  team: TeamService;
  evidence: EvidenceService;
  notes: NoteService;
  evidenceFiles: EvidenceFileService;
  /** The dashboard's, an operator's own and the close's calls to the server (online only). */
  kpis: KpiClient;
  /** The signed-in user's server client (the router already checked the channel's access). */
  client(): ServerClient;
}
