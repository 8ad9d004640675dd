// A small seeded PRNG (sfc32, seeded through splitmix32) for the benchmark generator: every random choice is a
// function of the seed and a few integer keys (share, day, …), so both generator passes — and any re-run with the
// same options — make the same choices in the same order. No Math.random anywhere in bench/generate.

/** splitmix32 step: a well-mixed 32-bit value from a 32-bit state. */
function splitmix32(state: number): number {
  let z = (state + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Mix any number of non-negative integer keys into one 32-bit seed. */
export function mixKeys(...keys: readonly number[]): number {
  let h = 0x6a09e667;
  for (const key of keys) {
    // keys may exceed 32 bits (absolute hours); fold the high part in separately
    const low = key >>> 0;
    const high = Math.floor(key / 4294967296) >>> 0;
    h = splitmix32(h ^ low);
    h = splitmix32(h ^ high);
  }
  return h;
}

export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(...keys: readonly number[]) {
    const seed = mixKeys(...keys);
    this.a = splitmix32(seed);
    this.b = splitmix32(this.a);
    this.c = splitmix32(this.b);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.next();
  }

  /** A uniform 32-bit unsigned integer. */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A uniform integer in [lo, hi] (inclusive); the span must fit 32 bits. */
  int(lo: number, hi: number): number {
    const span = hi - lo + 1;
    if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi) || span < 1 || span > 4294967296) {
      throw new RangeError(`Prng.int: bad range [${lo}, ${hi}]`);
    }
    return lo + (this.next() % span);
  }

  /** True with probability numerator / denominator (integers). */
  chance(numerator: number, denominator: number): boolean {
    return this.next() % denominator < numerator;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(0, items.length - 1)];
    if (item === undefined) throw new RangeError('Prng.pick: empty list');
    return item;
  }

  /** An index chosen with integer weights. */
  weighted(weights: readonly number[]): number {
    const total = weights.reduce((sum, w) => sum + w, 0);
    let r = this.int(0, total - 1);
    for (const [i, w] of weights.entries()) {
      if (r < w) return i;
      r -= w;
    }
    return weights.length - 1;
  }

  /** A random (version 4 layout) GUID, lower-case. */
  guid(): string {
    const hex = (n: number, digits: number) => n.toString(16).padStart(digits, '0').slice(-digits);
    const a = this.next();
    const b = this.next();
    const c = this.next();
    const d = this.next();
    return (
      `${hex(a, 8)}-${hex(b >>> 16, 4)}-${hex(0x4000 | (b & 0x0fff), 4)}-` +
      `${hex(0x8000 | ((c >>> 16) & 0x3fff), 4)}-${hex(c & 0xffff, 4)}${hex(d, 8)}`
    );
  }
}
