import { describe, expect, it } from 'vitest';
import { appendAudit } from '../../server/src/audit/log';
import { migrate } from '../../server/src/db/migrate';
import { openDatabase } from '../../server/src/db/open';
import { sequencePass } from '../../server/src/db/sequencer';
import { seedDemo } from '../../server/src/demo/seed';
import { verifyCli } from './helpers/audit-cli';
import { databaseTargets } from './helpers/databases';

/** Acceptance 6: `npm run audit:verify` passes an intact trail and names the row someone edited. */
describe.each(databaseTargets())('npm run audit:verify on $kind', (target) => {
  it('exits 0 on an intact chain and 1 naming the first tampered row', async () => {
    const fresh = await target.fresh({ onDisk: true });
    try {
      let db = await openDatabase(fresh.options);
      await migrate(db);
      await seedDemo(db, { count: 5 });
      for (let i = 0; i < 6; i++) {
        await db.transaction((tx) =>
          appendAudit(tx, [
            {
              actorId: 'user-lead1',
              action: 'test.event',
              entity: 'test',
              entityId: `T${i}`,
              details: { i },
            },
          ]),
        );
      }
      await sequencePass(db);
      const victim =
        (await db.query<{ id: string }>(`SELECT id FROM audit_log WHERE entity_id = 'T3'`))[0]?.id ?? '';
      // The demo seed audits its own steps (certifying the demo operators among them): count them all.
      const sealed = Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM audit_log'))[0]?.n);
      // PGlite is one process's folder: close it so the CLI can open it.
      await db.close();

      const intact = verifyCli(fresh.options);
      expect(intact.status, intact.output).toBe(0);
      expect(sealed).toBeGreaterThanOrEqual(7);
      expect(intact.output).toContain(`audit chain intact: ${sealed} rows sealed`);

      db = await openDatabase(fresh.options);
      await db.transaction(async (tx) => {
        await tx.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
        await tx.query(`UPDATE audit_log SET actor_id = 'user-operator1' WHERE id = $1`, [victim]);
        await tx.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
      });
      await db.close();

      const broken = verifyCli(fresh.options);
      expect(broken.status, broken.output).toBe(1);
      expect(broken.output).toContain(`audit chain broken at row ${victim}`);
    } finally {
      await fresh.cleanup();
    }
  });
});
