export const name = 'sop_library_certification';

/**
 * Issue 14: trainers' drafts, retired versions, certification and teams.
 *
 * - `sop_drafts`: an uploaded module that passed validation but is not published. Drafts change
 *   (an upload of the same id and version replaces it); publishing moves it, unchanged, into the
 *   immutable `sop_modules` and deletes the draft.
 * - `sop_retirements`: `sop_modules` refuses UPDATE, so retiring a version is a row here. A
 *   retired version stays readable (in-flight results name it) but is never current.
 * - `certifications`: an operator passed a module's exercises at its pass mark, for one major
 *   version. `user_work_types` (what get-next, reassign and returns read) is derived from these
 *   and the current major of each module (features/certification/work-types.ts).
 * - Existing allowances are carried over as certifications of the current major (by
 *   "migration 0014"), so an upgraded server takes no work away from anyone.
 */
export const sql = `
ALTER TABLE users ADD COLUMN team text;

CREATE TABLE sop_drafts (
  id          bigserial PRIMARY KEY,
  module_id   text NOT NULL,
  version     text NOT NULL,
  title       text NOT NULL,
  applies_to  text[] NOT NULL,
  content     jsonb NOT NULL,
  source      text NOT NULL,
  uploaded_by text NOT NULL REFERENCES users(id),
  uploaded_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (module_id, version)
);

CREATE TABLE sop_retirements (
  module_id  text NOT NULL,
  version    text NOT NULL,
  reason     text NOT NULL,
  retired_by text NOT NULL REFERENCES users(id),
  retired_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (module_id, version),
  FOREIGN KEY (module_id, version) REFERENCES sop_modules (id, version)
);
CREATE TRIGGER sop_retirements_immutable BEFORE UPDATE OR DELETE ON sop_retirements
  FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();

CREATE TABLE certifications (
  id            bigserial PRIMARY KEY,
  user_id       text NOT NULL REFERENCES users(id),
  module_id     text NOT NULL,
  major         integer NOT NULL CHECK (major >= 0),
  version       text NOT NULL,
  score_percent integer CHECK (score_percent BETWEEN 0 AND 100),
  certified_by  text NOT NULL,
  certified_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (user_id, module_id, major)
);

INSERT INTO certifications (user_id, module_id, major, version, score_percent, certified_by)
SELECT u.user_id, m.id, split_part(m.version, '.', 1)::int, m.version, NULL, 'migration 0014'
  FROM (SELECT DISTINCT ON (id) id, version, applies_to FROM sop_modules
         ORDER BY id, string_to_array(version, '.')::int[] DESC) m
  JOIN (SELECT user_id, array_agg(type) AS types FROM user_work_types GROUP BY user_id) u
    ON m.applies_to <@ u.types
ON CONFLICT DO NOTHING;
`;
