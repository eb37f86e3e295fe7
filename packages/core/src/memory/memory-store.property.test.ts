import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from './memory-store.js';

/** One operation on the store: keys from a small space so that hits, overwrites and deletes happen. */
const operation = fc.oneof(
  fc.record({
    op: fc.constant('set' as const),
    key: fc.integer({ min: 0, max: 40 }),
    size: fc.integer({ min: 0, max: 30 }),
  }),
  fc.record({ op: fc.constant('get' as const), key: fc.integer({ min: 0, max: 40 }) }),
  fc.record({ op: fc.constant('delete' as const), key: fc.integer({ min: 0, max: 40 }) }),
);

describe('MemoryStore property', () => {
  it('never holds more than its bounds, and holds what it last stored unless it reported an eviction', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('lru' as const, 'lfu' as const, 'tinylfu' as const),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 60 }),
        fc.array(operation, { maxLength: 300 }),
        (policy, maxEntries, maxSize, operations) => {
          const model = new Map<string, number>();
          const store = new MemoryStore<number>({
            policy,
            maxEntries,
            maxSize,
            sizeOf: (value) => value,
            onEvict: (key) => model.delete(key),
          });
          for (const step of operations) {
            const key = `k${step.key}`;
            if (step.op === 'set') {
              // The model first: a set may evict the very entry it writes (an overwrite that grows
              // past maxSize, a candidate tinylfu does not admit), and reports it through onEvict.
              if (step.size <= maxSize) model.set(key, step.size);
              store.set(key, step.size);
            } else if (step.op === 'get') {
              expect(store.get(key)).toBe(model.get(key));
            } else {
              const had = model.has(key); // onEvict removes it from the model during delete()
              expect(store.delete(key)).toBe(had);
            }
            expect(store.size).toBeLessThanOrEqual(maxEntries);
            expect(store.size).toBe(model.size);
            let total = 0;
            for (const value of store.values()) total += value;
            expect(total).toBeLessThanOrEqual(maxSize);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
