import { createHash, randomInt, randomUUID } from 'node:crypto';
import { qaDrawSchema, type QaDraw, type RunDrawBody } from '@shared/api/qa';
import { drawSample, DrawPolicyError } from '@shared/qa/draw';
import { drawInputSchema, type DrawInput } from '@shared/qa/policy';
import { appendAudit } from '../../audit/log';
import { canonicalJson } from '../../audit/chain';
import type { AuthUser } from '../../auth/auth-user';
import type { Database, Queryable } from '../../db/types';
import { ApiHttpError, notFound } from '../../http/api-error';
import { lotPopulation } from './lot-population';
import { createDrawReviews } from './reviews-repo';

interface Row {
  id: string;
  lot_date: string;
  seed: string;
  policy_id: string;
  input: unknown;
  input_sha256: string;
  result: unknown;
  drawn_by: string;
  drawn_at: Date;
}

const sha256 = (value: unknown): string => createHash('sha256').update(canonicalJson(value)).digest('hex');

function toDraw(row: Row): QaDraw {
  const input = drawInputSchema.parse(row.input);
  return qaDrawSchema.parse({
    id: row.id,
    lotDate: row.lot_date,
    seed: Number(row.seed),
    policyId: row.policy_id,
    populationSize: input.population.length,
    inputSha256: row.input_sha256,
    drawnBy: row.drawn_by,
    drawnAt: row.drawn_at.toISOString(),
    result: row.result,
  });
}

function draw(input: DrawInput, seed: number): ReturnType<typeof drawSample> {
  try {
    return drawSample(input, seed);
  } catch (error) {
    // A policy that cannot cover the population is the caller's input problem, not a crash.
    if (error instanceof DrawPolicyError) {
      throw new ApiHttpError(400, 'invalid_request', error.message, [
        { path: 'body.policy.rules', message: error.message },
      ]);
    }
    throw error;
  }
}

/**
 * Draws the sample of one day's resolutions with a fresh seed and records it, with an audit row,
 * in one transaction. `seed` is only for tests that need a known stream.
 */
export async function recordDraw(
  db: Database,
  lead: AuthUser,
  body: RunDrawBody,
  opts: { seed?: number; now?: Date } = {},
): Promise<QaDraw> {
  const seed = opts.seed ?? randomInt(0, 2 ** 32);
  const at = opts.now ?? new Date();
  return db.transaction(async (tx) => {
    const input = drawInputSchema.parse({
      policy: body.policy,
      population: await lotPopulation(tx, body.lotDate),
      operators: body.operators,
      inspection: body.inspection,
    });
    const result = draw(input, seed);
    const id = randomUUID();
    const inputSha256 = sha256(input);
    await tx.query(
      `INSERT INTO qa_draws (id, lot_date, seed, policy_id, input, input_sha256, result, drawn_by, drawn_at)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7::jsonb, $8, $9)`,
      [
        id,
        body.lotDate,
        seed,
        input.policy.id,
        JSON.stringify(input),
        inputSha256,
        JSON.stringify(result),
        lead.id,
        at.toISOString(),
      ],
    );
    // The sample becomes the reviewers' inbox in the same transaction as the draw.
    const reviewsCreated = await createDrawReviews(
      tx,
      id,
      body.lotDate,
      result.sampled.map((s) => s.id),
      at,
    );
    await appendAudit(
      tx,
      [
        {
          actorId: lead.id,
          action: 'qa.draw',
          entity: 'qa_draw',
          entityId: id,
          details: {
            lotDate: body.lotDate,
            seed,
            policyId: input.policy.id,
            populationSize: input.population.length,
            sampledCount: result.sampled.length,
            inputSha256,
            resultSha256: sha256(result),
            reviewsCreated,
          },
        },
      ],
      at,
    );
    const [row] = await tx.query<Row>('SELECT * FROM qa_draws WHERE id = $1', [id]);
    return toDraw(row as Row);
  });
}

/** A recorded draw, and whether re-drawing its recorded input with its seed gives its result. */
export async function readDraw(db: Queryable, id: string): Promise<{ draw: QaDraw; reproduced: boolean }> {
  const [row] = await db.query<Row>('SELECT * FROM qa_draws WHERE id = $1', [id]);
  if (row === undefined) throw notFound(`no QA draw ${id}`);
  const recorded = toDraw(row);
  const input = drawInputSchema.parse(row.input);
  const again = drawSample(input, recorded.seed);
  const reproduced =
    sha256(input) === row.input_sha256 && canonicalJson(again) === canonicalJson(recorded.result);
  return { draw: recorded, reproduced };
}
