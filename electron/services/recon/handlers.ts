import type { reconChannels } from '@shared/ipc/channels';
import type { AppContext } from '../app-context';
import type { HandlersOf } from '../bridge/handler-types';
import { toBridgeFailure } from '../session/server-failure';
import { createReconClient, type ReconClient } from './recon-client';

/**
 * A lead's imports and reconciliation runs: decided on the server at once, never queued (a file
 * imported from a stale desk would still be the same file, but a run must see what is there now).
 */
export function reconHandlers({ client, session, sync }: AppContext): HandlersOf<typeof reconChannels> {
  const recon = (): ReconClient => createReconClient({ baseUrl: client().baseUrl, tokens: session });
  const server = async <T>(act: (c: ReconClient) => Promise<T>): Promise<T> => {
    try {
      return await act(recon());
    } catch (err) {
      throw toBridgeFailure(err);
    }
  };
  return {
    'recon.upload': ({ name, format, data }) =>
      server((c) => c.upload({ name, format, bytes: Buffer.from(data, 'base64') })),
    'recon.batches': () => server((c) => c.batches()),
    'recon.runs': () => server((c) => c.runs()),
    'recon.run': async ({ period }) => {
      const answer = await server((c) => c.run(period));
      // The run's exceptions are in the feed already: pull them so this desk's queue shows them.
      sync.nudge();
      return answer;
    },
    'recon.runDetail': ({ id }) => server((c) => c.runDetail(id)),
    'recon.accountMappings': () => server((c) => c.accountMappings()),
    'recon.saveAccountMapping': (body) => server((c) => c.saveAccountMapping(body)),
    'recon.skuMappings': () => server((c) => c.skuMappings()),
    'recon.saveSkuMapping': (body) => server((c) => c.saveSkuMapping(body)),
  };
}
