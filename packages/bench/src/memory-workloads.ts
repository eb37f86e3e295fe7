/** Keys and access sequences shared by all caches, built once so that no benchmark allocates keys. */

/** `count` distinct keys with a common prefix, like real cache keys. */
export function makeKeys(prefix: string, count: number): string[] {
  const keys = new Array<string>(count);
  for (let i = 0; i < count; i++) keys[i] = `${prefix}:${i}`;
  return keys;
}

/** A deterministic pseudo-random generator (mulberry32) in [0, 1). */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random permutation of `0 .. n - 1`. */
export function shuffled(n: number, seed: number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const next = random(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}

/**
 * `length` draws of ranks in `0 .. universe - 1` from a Zipf distribution with exponent `s` (rank r
 * has weight 1 / (r + 1)^s), by inverting the cumulative distribution with a binary search. The
 * ranks are scattered over the key space by a random permutation so that hot keys are not adjacent.
 */
export function zipf(universe: number, s: number, length: number, seed: number): Uint32Array {
  const cdf = new Float64Array(universe);
  let sum = 0;
  for (let r = 0; r < universe; r++) cdf[r] = sum += 1 / (r + 1) ** s;
  const scatter = shuffled(universe, seed + 1);
  const next = random(seed);
  const draws = new Uint32Array(length);
  for (let i = 0; i < length; i++) {
    const u = next() * sum;
    let lo = 0;
    let hi = universe - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    draws[i] = scatter[lo];
  }
  return draws;
}
