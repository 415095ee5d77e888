export const name = 'sops_checklists_approvals';

/**
 * The SOP registry (published module versions, immutable), the checklist and handle time behind
 * each resolution, and the approvals a lead gives for resolutions above a module's threshold.
 */
export const sql = `
-- One row per published version. content is the whole module (sopModuleSchema); content_hash lets
-- a server that ships the same version again prove it is the same text, and refuse if it is not.
CREATE TABLE sop_modules (
  id           text NOT NULL,
  version      text NOT NULL,
  title        text NOT NULL,
  applies_to   text[] NOT NULL,
  content      jsonb NOT NULL,
  content_hash text NOT NULL,
  published_by text NOT NULL,
  published_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id, version)
);
CREATE TRIGGER sop_modules_immutable BEFORE UPDATE OR DELETE ON sop_modules
  FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();

-- What the operator followed: the SOP version, every answer, and active handle time.
ALTER TABLE exception_resolutions
  ADD COLUMN sop_id text,
  ADD COLUMN sop_version text,
  ADD COLUMN answers jsonb,
  ADD COLUMN handle_ms bigint,
  ADD COLUMN step_ms jsonb,
  ADD COLUMN needs_approval boolean NOT NULL DEFAULT false;

-- A resolution above threshold waits here; the exception sits in pending_approval meanwhile.
-- requested_by can never decide it (checked in the route and here).
CREATE TABLE approvals (
  id            bigserial PRIMARY KEY,
  exception_id  text NOT NULL REFERENCES exceptions(id),
  resolution_id bigint NOT NULL UNIQUE REFERENCES exception_resolutions(id),
  requested_by  text NOT NULL REFERENCES users(id),
  requested_at  timestamptz NOT NULL,
  state         text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'rejected')),
  decided_by    text REFERENCES users(id),
  decided_at    timestamptz,
  comment       text,
  CHECK (decided_by IS NULL OR decided_by <> requested_by)
);
CREATE UNIQUE INDEX approvals_one_pending ON approvals (exception_id) WHERE state = 'pending';
CREATE INDEX approvals_state ON approvals (state, requested_at);
`;
