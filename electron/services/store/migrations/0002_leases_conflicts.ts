import type { Migration } from './migration';

export const migration: Migration = {
  version: 2,
  name: 'leases, conflicts, outbox exception id',
  up(db) {
    db.exec(`
        -- The leases this install holds for offline work (the server is the authority; this is
        -- the copy get-next reads when the link is down). state: held (leased), working (started),
        -- done (resolved or skipped here; the result may still wait in the outbox), lost (the
        -- server took it back; lost_reason says why). The queue order comes from the exception
        -- row (priority, SLA), joined at read time, so a server-side change of priority counts.
        CREATE TABLE leases (
          lease_id TEXT PRIMARY KEY,
          exception_id TEXT NOT NULL,
          user_id TEXT NOT NULL,
          expires_at INTEGER NOT NULL,
          state TEXT NOT NULL DEFAULT 'held' CHECK (state IN ('held', 'working', 'done', 'lost')),
          lost_reason TEXT,
          acquired_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        );
        CREATE INDEX leases_user_state ON leases (user_id, state);
        CREATE INDEX leases_exception ON leases (exception_id);

        -- Results the server kept as superseded submissions (the lease was lost before the push):
        -- the operator's change exactly as made, with the server's reason. Never deleted by sync.
        CREATE TABLE conflicts (
          mutation_id TEXT PRIMARY KEY,
          user_id TEXT NOT NULL,
          exception_id TEXT NOT NULL,
          kind TEXT NOT NULL,
          reason TEXT NOT NULL,
          body TEXT NOT NULL,
          occurred_at INTEGER NOT NULL,
          at INTEGER NOT NULL
        );
        CREATE INDEX conflicts_user ON conflicts (user_id, at);

        -- Which exception an outbox entry changes: a pulled page re-applies the local effect of
        -- entries the server has not acknowledged yet, so a pull never shows stale server state
        -- over the operator's own unsent work.
        ALTER TABLE outbox ADD COLUMN exception_id TEXT;
        CREATE INDEX outbox_exception ON outbox (exception_id, seq) WHERE exception_id IS NOT NULL;
        CREATE INDEX outbox_user_state ON outbox (user_id, state, seq);
      `);
  },
};
