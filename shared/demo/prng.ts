/**
 * A small seeded PRNG (sfc32 seeded through splitmix32): same seed, same sequence, on every
 * platform. Not for secrets. Written here so demo data depends on no package's version.
 */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = seed >>> 0;
    const split = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = split();
    this.b = split();
    this.c = split();
    this.d = split();
    for (let i = 0; i < 12; i++) this.uint32();
  }

  uint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** [0, 1) */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new RangeError('pick() from an empty list');
    return item;
  }

  /** Picks by weight; weights need not sum to 1. For hot loops, build a WeightedTable once. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    return new WeightedTable(items).pick(this);
  }

  // The string helpers build flat strings in few steps: 100k records make millions of ids, and
  // char-by-char concatenation leaves V8 rope strings that cost more in GC than the maths.

  digits(n: number): string {
    let out = '';
    while (out.length < n) out += (this.uint32() % 1_000_000_000).toString().padStart(9, '0');
    return out.length === n ? out : out.slice(0, n);
  }

  /** n characters from `alphabet`. */
  chars(n: number, alphabet: string): string {
    const codes = new Array<number>(n);
    for (let i = 0; i < n; i++) codes[i] = alphabet.charCodeAt(this.uint32() % alphabet.length);
    return String.fromCharCode(...codes);
  }

  hex(n: number, upper = false): string {
    let out = '';
    while (out.length < n) out += this.uint32().toString(16).padStart(8, '0');
    if (out.length > n) out = out.slice(0, n);
    return upper ? out.toUpperCase() : out;
  }

  guid(): string {
    const variant = '89ab'[this.uint32() % 4] ?? '8';
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-${variant}${this.hex(3)}-${this.hex(12)}`;
  }
}

/** Cumulative weights computed once, so a pick is one random number and a short scan. */
export class WeightedTable<T> {
  private readonly items: T[];
  private readonly cumulative: number[];
  private readonly total: number;

  constructor(entries: readonly (readonly [T, number])[]) {
    if (entries.length === 0) throw new RangeError('a weighted table needs at least one entry');
    this.items = entries.map((e) => e[0]);
    let sum = 0;
    this.cumulative = entries.map((e) => (sum += e[1]));
    this.total = sum;
  }

  pick(rng: Prng): T {
    const r = rng.next() * this.total;
    const cumulative = this.cumulative;
    for (let i = 0; i < cumulative.length; i++) {
      if (r < (cumulative[i] ?? 0)) return this.items[i] as T;
    }
    return this.items[this.items.length - 1] as T;
  }
}
