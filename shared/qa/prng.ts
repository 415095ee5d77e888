/**
 * mulberry32: a small, well-known 32-bit PRNG. Not for secrets; for reproducible draws. The
 * seed is recorded with every draw, so anyone can re-run it and get the same sample.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const MAX_SEED = 0xffffffff;

/** An integer in [0, bound) from the generator. */
export function nextIndex(random: () => number, bound: number): number {
  return Math.floor(random() * bound);
}

/**
 * `count` distinct ids chosen uniformly from `ids` by a partial Fisher-Yates shuffle. The ids are
 * sorted first, so the order the population arrived in cannot change the sample: same seed and
 * same population give the same sample. Returned in the order they were drawn.
 */
export function sampleIds(ids: readonly string[], count: number, random: () => number): string[] {
  const pool = [...new Set(ids)].sort();
  const take = Math.min(Math.max(0, count), pool.length);
  for (let i = 0; i < take; i += 1) {
    const j = i + nextIndex(random, pool.length - i);
    const picked = pool[j] as string;
    pool[j] = pool[i] as string;
    pool[i] = picked;
  }
  return pool.slice(0, take);
}
