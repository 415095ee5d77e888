import { z } from 'zod';
import { exceptionRecordSchema } from '../exception';

/** Path parameters of GET /api/exceptions/:id. */
export const exceptionIdParamsSchema = z.object({ id: exceptionRecordSchema.shape.id });
export type ExceptionIdParams = z.infer<typeof exceptionIdParamsSchema>;
