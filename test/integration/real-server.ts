import { startServer } from '../../server/src/start';
import { DEMO_PASSWORD } from '../../server/src/demo/users';

export const DEMO_COUNT = 300;
export const OPERATOR = { username: 'operator1', password: DEMO_PASSWORD } as const;
/** Leads read every exception, so their pull brings the whole demo set. */
export const LEAD = { username: 'lead1', password: DEMO_PASSWORD } as const;

/** The real central API on in-memory PGlite with demo data. */
export function startDemoServer(): ReturnType<typeof startServer> {
  return startServer({ port: 0, demo: true, demoCount: DEMO_COUNT, logger: false });
}
