import type { kpisChannels } from '@shared/ipc/channels';
import type { HandlersOf } from '../bridge/handler-types';
import type { AppContext } from '../app-context';

/** Figures and close sign-offs are the server's: nothing here is stored or queued on the desk. */
export function kpisHandlers({ kpis }: Pick<AppContext, 'kpis'>): HandlersOf<typeof kpisChannels> {
  return {
    'kpis.report': async (query) => kpis.report(query),
    'kpis.drill': async ({ filter }) => kpis.drill(filter),
    'kpis.me': async () => kpis.mine(),
    'close.readiness': async ({ period }) => kpis.readiness(period),
    'close.signOff': async ({ period, as }) => kpis.signOff(period, as),
    'close.reopen': async ({ period, reason }) => kpis.reopen(period, reason),
  };
}
