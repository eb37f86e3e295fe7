import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashKey } from './frequency-sketch.js';
import { KeyIndex } from './key-index.js';

describe('KeyIndex', () => {
  it('finds every key it holds and none it does not, through inserts, removals and growth', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 60 })), { maxLength: 400 }),
        (seed, steps) => {
          // Slots 1 .. 3 are reserved as in the store; the table starts at 8 buckets and grows.
          let capacity = 4;
          const index = new KeyIndex(capacity, seed);
          const model = new Map<string, number>();
          const free: number[] = [];
          let next = 4;
          for (const [add, n] of steps) {
            const key = `key ${n}`;
            if (add && !model.has(key)) {
              let slot = free.pop();
              if (slot === undefined) {
                slot = next++;
                if (slot >= capacity) index.grow((capacity *= 2));
              }
              index.insert(slot, key, hashKey(key, seed));
              model.set(key, slot);
            } else if (!add && model.has(key)) {
              const slot = model.get(key) as number;
              expect(index.remove(slot)).toBe(key);
              model.delete(key);
              free.push(slot);
            }
            expect(index.size).toBe(model.size);
          }
          for (let n = 0; n <= 60; n++) expect(index.find(`key ${n}`)).toBe(model.get(`key ${n}`) ?? 0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps finding keys whose buckets collide after the ones before them are removed', () => {
    // Five keys with the same home bucket in a 16-bucket table (8 slots), so each probes past the ones
    // inserted before it; removing those must not cut the later ones off.
    const seed = 7;
    const home = (key: string) => hashKey(key, seed) & 15;
    const keys: string[] = [];
    for (let n = 0; keys.length < 5; n++) if (home(`k${n}`) === home('k0')) keys.push(`k${n}`);
    const index = new KeyIndex(8, seed);
    for (const [i, key] of keys.entries()) index.insert(i + 3, key, hashKey(key, seed));
    const removed = new Set<number>();
    for (const slot of [3, 5, 4]) {
      expect(index.remove(slot)).toBe(keys[slot - 3]);
      removed.add(slot);
      for (const [i, key] of keys.entries()) expect(index.find(key)).toBe(removed.has(i + 3) ? 0 : i + 3);
    }
    expect(index.size).toBe(2);
  });
});
