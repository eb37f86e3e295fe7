import { describe, expect, it } from 'vitest';
import type { PolicyName } from '../eviction-policy.js';
import { MemoryStore } from '../memory-store.js';

/** A store of `maxEntries` under `policy` and the keys it evicts for room, in order. */
function store(policy: PolicyName, maxEntries: number) {
  const evicted: string[] = [];
  // A fixed sketch seed: in a tiny sketch, a random one could make two keys share all their counters.
  const memory = new MemoryStore<number>({
    policy,
    maxEntries,
    seed: 7,
    onEvict: (key, _value, reason) => {
      if (reason === 'size') evicted.push(key);
    },
  });
  return { memory, evicted };
}

describe('eviction order on hand-checked cases', () => {
  it('lru evicts the least recently used entry', () => {
    const { memory, evicted } = store('lru', 3);
    memory.set('a', 1).set('b', 2).set('c', 3);
    memory.get('a'); // order, eldest first: b c a
    memory.set('d', 4); // evicts b
    memory.set('e', 5); // evicts c
    memory.has('a'); // has() is not a use
    memory.peek('a'); // nor is peek()
    memory.set('d', 40); // an overwrite is a use: a e d
    memory.set('f', 6); // evicts a
    expect(evicted).toEqual(['b', 'c', 'a']);
  });

  it('lfu evicts the least frequently used entry, ties by recency, sparing the newest', () => {
    const { memory, evicted } = store('lfu', 3);
    memory.set('a', 1).set('b', 2).set('c', 3);
    memory.get('a');
    memory.get('a'); // a: 3 uses
    memory.get('b'); // b: 2, c: 1
    memory.set('d', 4); // evicts c (1 use), not the newest d
    memory.set('e', 5); // d and e have 1 use: evicts d, sparing the newest
    memory.get('e'); // e: 2 uses, later than b
    memory.set('f', 6); // b and e tie at 2: b is the eldest of that count
    expect(evicted).toEqual(['c', 'd', 'b']);
    expect([...memory.keys()].sort()).toEqual(['a', 'e', 'f']);
  });

  it('tinylfu admits a window candidate only if it is more frequent than the probation victim', () => {
    // maxEntries 3: window 1, main 2 (protected 1, probation the rest).
    const { memory, evicted } = store('tinylfu', 3);
    memory.set('a', 1).set('b', 2).set('c', 3); // window [c], probation [a b]
    memory.get('a');
    memory.get('a');
    memory.get('a'); // a promoted to protected; a: 4 uses
    memory.set('d', 4); // c leaves the window: c (1) vs victim b (1): a tie rejects c
    expect(evicted).toEqual(['c']);
    memory.get('b');
    memory.get('b'); // b to protected, a demoted to probation; b: 3 uses
    memory.set('e', 5); // d leaves the window: d (1) vs a (4): d is rejected
    expect(evicted).toEqual(['c', 'd']);
    // A key seen often recently is admitted over a colder victim, even though it is new to the cache.
    memory.set('c', 3); // e leaves the window: e (1) vs a (4): e is rejected
    for (let i = 0; i < 5; i++) memory.set('c', 3); // c, in the window: 7 uses in all
    memory.set('f', 6); // c leaves the window: c (7) vs a (4): a is evicted
    expect(evicted).toEqual(['c', 'd', 'e', 'a']);
    expect(memory.has('c')).toBe(true);
    expect(memory.has('b')).toBe(true);
  });

  it('tinylfu counts the hits a key took while cached when it comes back', () => {
    // maxEntries 3: window 1, main 2 (protected 1, probation the rest).
    const { memory, evicted } = store('tinylfu', 3);
    memory.set('a', 1);
    for (let i = 0; i < 5; i++) memory.get('a'); // a: 6 uses, 5 of them hits
    memory.delete('a');
    for (let i = 0; i < 3; i++) memory.set('c', 3).delete('c'); // c: 3 uses
    memory.set('b', 2).set('c', 3).set('d', 4); // window [d], probation [b c]; c: 4 uses
    memory.get('b'); // b promoted to protected: probation [c]
    memory.set('a', 1); // d leaves the window: d (1) vs victim c (4): d is rejected
    expect(evicted).toEqual(['d']);
    // Back in the cache, a is as frequent as its hits made it (7 uses), not as its inserts (2).
    memory.set('e', 5); // a leaves the window: a (7) vs c (4): c is evicted
    expect(evicted).toEqual(['d', 'c']);
    expect(memory.has('a')).toBe(true);
  });

  it('tinylfu keeps a frequently used working set against a scan', () => {
    const memory = new MemoryStore<number>({ policy: 'tinylfu', maxEntries: 100, seed: 1 });
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 50; i++) if (memory.get(`hot${i}`) === undefined) memory.set(`hot${i}`, i);
    }
    for (let i = 0; i < 1000; i++) memory.set(`scan${i}`, i); // one-hit wonders
    let kept = 0;
    for (let i = 0; i < 50; i++) if (memory.has(`hot${i}`)) kept++;
    // LRU would keep none. A hot key may lose a duel to another hot key when main entries cycle
    // through a grown window.
    expect(kept).toBeGreaterThanOrEqual(49);
  });

  it('tinylfu grows its window when keys come back soon after being rejected (recency)', () => {
    // Each new key comes back once, 2 to 60 new keys later: recency and no frequency, so a 1% window
    // rejects nearly every key before it returns. LRU hits every return (49.9%); the hill climber this
    // replaced got 29%; the ghosts of rejected keys grow the window to most of that (40.0%).
    const ratio = (policy: PolicyName) => {
      const memory = new MemoryStore<number>({ policy, maxEntries: 100, seed: 42 });
      let x = 12345;
      const due = new Map<number, number[]>();
      let hits = 0;
      let total = 0;
      for (let t = 0; t < 20_000; t++) {
        const keys = [t, ...(due.get(t) ?? [])];
        due.delete(t);
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        const back = t + 2 + Math.floor(((x >>> 0) / 2 ** 32) * 59);
        due.set(back, [...(due.get(back) ?? []), t]);
        for (const key of keys) {
          total++;
          if (memory.get(`k${key}`) !== undefined) hits++;
          else memory.set(`k${key}`, 1);
        }
      }
      return hits / total;
    };
    expect(ratio('lru')).toBeGreaterThan(0.49);
    expect(ratio('tinylfu')).toBeGreaterThan(0.35);
  });

  it('tinylfu keeps a small window on a loop slightly longer than the cache', () => {
    // A loop of 1,011 keys through 1,000 entries: LRU never hits. Rejected keys come back a few inserts
    // after their eviction, as if a slightly larger window would keep them, but they were last used
    // more than 1,000 uses ago: no LRU of the whole cache would, and the window must not grow for them.
    const memory = new MemoryStore<number>({ policy: 'tinylfu', maxEntries: 1000, seed: 42 });
    let hits = 0;
    for (let pass = 0; pass < 100; pass++) {
      for (let i = 0; i < 1011; i++) {
        if (memory.get(`loop${i}`) !== undefined) hits++;
        else memory.set(`loop${i}`, i);
      }
    }
    expect(hits / (100 * 1011)).toBeGreaterThan(0.9);
  });
});
