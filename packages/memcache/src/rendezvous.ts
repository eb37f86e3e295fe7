/**
 * Rendezvous (highest-random-weight) hashing: each key goes to the server with the highest
 * `hash(server, key)`. Adding or removing one of N servers moves only about 1/N of the keys, unlike the
 * `hash % N` that memjs uses by default, which moves almost all of them.
 *
 * @param servers server ids, e.g. `['10.0.0.1:11211', '10.0.0.2:11211']`.
 * @returns a function from key to server index.
 */
export function rendezvous(servers: readonly string[]): (key: string) => number {
  const seeds = servers.map((server) => fnv1a(server, 0x811c9dc5));
  return (key: string) => {
    let best = 0;
    let bestWeight = -1;
    for (let i = 0; i < seeds.length; i++) {
      const weight = fmix32(fnv1a(key, seeds[i]!));
      if (weight > bestWeight) {
        bestWeight = weight;
        best = i;
      }
    }
    return best;
  };
}

/** 32-bit FNV-1a of `text`'s UTF-16 units, from `seed`. */
function fnv1a(text: string, seed: number): number {
  let hash = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** MurmurHash3's finalizer: spreads FNV's weak high bits so weights are well mixed. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
