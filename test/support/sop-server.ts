import { SopRegistry } from '../../server/src/features/sops/registry';
import { testSopsDir } from './sop-solver';

let patched = false;

/**
 * For tests that start the server through `startServer` (which takes no SOP folder): makes the
 * registry publish the test SOP folder (sop-solver.ts `testSopsDir`) by default, in this process
 * only. That folder is sops/ itself once every exception type has its module; until then the
 * server would refuse to start on sops/ alone. Servers in other processes are not affected.
 */
export function publishTestSopsByDefault(): void {
  if (patched) return;
  patched = true;
  const open = SopRegistry.open.bind(SopRegistry);
  SopRegistry.open = (db, dir) => open(db, dir ?? testSopsDir());
}
