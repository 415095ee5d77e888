export const name = 'evidence_files';

/**
 * Evidence files, content-addressed by SHA-256, in the database (not on one server's disk) so
 * every API process serves every file. `evidence_uploads` says who gave the server which file,
 * under what name: an operator may read back only what they uploaded, and a pushed result may
 * name only files its operator uploaded. Neither table is ever updated.
 */
export const sql = `
CREATE TABLE evidence_blobs (
  sha256     text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  media_type text NOT NULL,
  size       integer NOT NULL CHECK (size > 0 AND size <= 10485760 AND size = octet_length(bytes)),
  bytes      bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE evidence_blobs ALTER COLUMN bytes SET STORAGE EXTERNAL;

CREATE TABLE evidence_uploads (
  sha256      text NOT NULL REFERENCES evidence_blobs (sha256),
  user_id     text NOT NULL REFERENCES users (id),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  uploaded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (sha256, user_id)
);
`;
