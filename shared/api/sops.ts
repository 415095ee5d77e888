import { z } from 'zod';
import { sopModuleSchema, sopRefSchema } from '../sop/module';

/** GET /api/sops?known=<revision>: the published modules, or `unchanged` when the caller has them. */
export const sopsQuerySchema = z.object({ known: z.string().max(128).optional() }).strict();
export const sopsResponseSchema = z.object({
  /** Changes whenever a module version is published; the desktop keeps it to ask cheaply. */
  revision: z.string(),
  unchanged: z.boolean(),
  /** Every published version (a checklist in progress keeps the version it started on); empty when unchanged. */
  modules: z.array(sopModuleSchema),
  /** Versions retired for new items (still listed in `modules`: items started on them keep them). */
  retired: z.array(sopRefSchema).optional(),
});
export type SopsResponse = z.infer<typeof sopsResponseSchema>;
