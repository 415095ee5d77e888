import type { sopsChannels } from '@shared/ipc/channels';
import {
  certificationMatrixResponseSchema,
  sopDiffResponseSchema,
  sopLibraryResponseSchema,
  sopUploadResponseSchema,
  sopVersionContentResponseSchema,
  sopVersionResponseSchema,
} from '@shared/api/sop-library';
import type { AppContext } from '../app-context';
import type { HandlersOf } from '../bridge/handler-types';
import { createJsonClient } from '../session/json-client';

const versionPath = (module: string, version: string): string =>
  `/api/sops/${encodeURIComponent(module)}/versions/${encodeURIComponent(version)}`;

/** Decided on the server, never queued: a draft, a publish or a retire is a trainer's control. */
export function sopsHandlers({ client, session, sync }: AppContext): HandlersOf<typeof sopsChannels> {
  const api = createJsonClient(client, session);
  return {
    'sops.library': () => api.json({ method: 'GET', path: '/api/sops/library' }, sopLibraryResponseSchema),
    'sops.version': ({ module, version }) =>
      api.json({ method: 'GET', path: versionPath(module, version) }, sopVersionContentResponseSchema),
    'sops.upload': ({ data, ...query }) =>
      api.json(
        {
          method: 'POST',
          path: '/api/sops/uploads',
          query: Object.fromEntries(Object.entries(query).filter((e): e is [string, string] => !!e[1])),
          raw: Buffer.from(data, 'base64'),
        },
        sopUploadResponseSchema,
      ),
    'sops.publish': async ({ module, version }) => {
      const answer = await api.json(
        { method: 'POST', path: `${versionPath(module, version)}/publish` },
        sopVersionResponseSchema,
      );
      // This desk takes the new version now rather than at its next interval.
      sync.nudge();
      return answer;
    },
    'sops.retire': async ({ module, version, reason }) => {
      const answer = await api.json(
        { method: 'POST', path: `${versionPath(module, version)}/retire`, body: { reason } },
        sopVersionResponseSchema,
      );
      sync.nudge();
      return answer;
    },
    'sops.diff': ({ module, from, to }) =>
      api.json(
        { method: 'GET', path: `/api/sops/${encodeURIComponent(module)}/diff`, query: { from, to } },
        sopDiffResponseSchema,
      ),
    'sops.template': async ({ module }) => {
      const bytes = await api.bytes({ method: 'GET', path: '/api/sops/template.xlsx', query: { module } });
      return { name: `${module}.xlsx`, data: Buffer.from(bytes).toString('base64') };
    },
    'sops.matrix': () =>
      api.json({ method: 'GET', path: '/api/certifications/matrix' }, certificationMatrixResponseSchema),
  };
}
