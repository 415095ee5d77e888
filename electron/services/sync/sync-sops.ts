import { z } from 'zod';
import type { SyncStep } from './sync-step';

export const SOP_REVISION_KEY = 'sops.revision';

/**
 * Keeps the published SOP modules on this machine, so a checklist opens and validates offline.
 * Asks with the revision it holds; the server answers `unchanged` (no modules) until a version
 * is published.
 */
export function createSopStep(): SyncStep {
  return {
    name: 'sops',
    async run(ctx) {
      const known = ctx.store.settings.get(SOP_REVISION_KEY, z.string());
      const answer = await ctx.client.sops(known, ctx.tokens);
      if (!ctx.isCurrent() || answer.unchanged) return;
      ctx.store.transaction(() => {
        ctx.store.sops.putAll(answer.modules);
        // A retirement changes the revision too, so the list is current whenever the modules are.
        ctx.store.sops.setRetired(answer.retired ?? []);
        ctx.store.settings.set(SOP_REVISION_KEY, answer.revision);
      });
      ctx.queueChanged();
    },
  };
}
