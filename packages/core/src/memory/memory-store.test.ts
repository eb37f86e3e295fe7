import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type EvictionReason, MemoryStore } from './memory-store.js';

/** A store that records what it evicts, in order. */
function recorded(options: ConstructorParameters<typeof MemoryStore<number>>[0] = {}) {
  const evicted: [string, EvictionReason][] = [];
  const store = new MemoryStore<number>({
    ...options,
    onEvict: (key, _value, reason) => evicted.push([key, reason]),
  });
  return { store, evicted };
}

describe('MemoryStore basics', () => {
  it('is Map-like: get, set, has, delete, clear, size, iteration', () => {
    const store = new MemoryStore<{ n: number }>();
    const value = { n: 1 };
    expect(store.set('a', value)).toBe(store);
    store.set('b', { n: 2 });
    expect(store.get('a')).toBe(value);
    expect(store.get('zz')).toBeUndefined();
    expect(store.has('b')).toBe(true);
    expect(store.size).toBe(2);
    expect([...store.keys()].sort()).toEqual(['a', 'b']);
    expect(new Map(store.entries()).get('b')).toEqual({ n: 2 });
    expect([...store].length).toBe(2);
    expect([...store.values()].length).toBe(2);
    expect(store.delete('a')).toBe(true);
    expect(store.delete('a')).toBe(false);
    store.clear();
    expect(store.size).toBe(0);
    store.set('c', { n: 3 });
    expect(store.get('c')).toEqual({ n: 3 });
  });

  it('overwrites in place and keeps counters', () => {
    const { store, evicted } = recorded({ maxEntries: 2, policy: 'lru' });
    store.set('a', 1).set('a', 2);
    expect(store.get('a')).toBe(2);
    expect(store.size).toBe(1);
    store.get('missing');
    store.delete('a');
    expect(store.stats()).toEqual({ hits: 1, misses: 1, evictions: { size: 0, expired: 0, deleted: 1 } });
    expect(evicted).toEqual([['a', 'deleted']]);
  });

  it('rejects bad options with a TypeError naming the option', () => {
    expect(() => new MemoryStore({ maxEntries: 0 })).toThrow(/maxEntries/);
    expect(() => new MemoryStore({ maxEntries: Infinity })).toThrow(/maxSize/);
    expect(() => new MemoryStore({ maxSize: -1 })).toThrow(/maxSize/);
    expect(() => new MemoryStore({ policy: 'fifo' as never })).toThrow(/policy/);
    expect(() => new MemoryStore({ ttl: -5 })).toThrow(/ttl/);
    expect(() => new MemoryStore({ sizeOf: () => 1 })).toThrow(/sizeOf/);
  });

  it('grows its slot arrays past the initial capacity and reuses freed slots', () => {
    for (const policy of ['lru', 'lfu', 'tinylfu'] as const) {
      const store = new MemoryStore<number>({ maxEntries: 5000, policy });
      for (let i = 0; i < 5000; i++) store.set(`k${i}`, i);
      expect(store.size).toBe(5000);
      for (let i = 0; i < 5000; i += 2) store.delete(`k${i}`);
      for (let i = 0; i < 2500; i++) store.set(`n${i}`, i);
      expect(store.size).toBe(5000);
      expect(store.get('k1')).toBe(1);
      expect(store.get('n2499')).toBe(2499);
    }
  });
});

describe('bounds', () => {
  it.each(['lru', 'lfu', 'tinylfu'] as const)('%s never holds more than maxEntries', (policy) => {
    const { store, evicted } = recorded({ maxEntries: 100, policy });
    for (let i = 0; i < 1000; i++) store.set(`k${i}`, i);
    expect(store.size).toBe(100);
    expect(evicted.length).toBe(900);
    expect(evicted.every(([, reason]) => reason === 'size')).toBe(true);
    expect(store.stats().evictions.size).toBe(900);
  });

  it('defaults to 10,000 entries', () => {
    const store = new MemoryStore<number>();
    for (let i = 0; i < 10_050; i++) store.set(`k${i}`, i);
    expect(store.size).toBe(10_000);
  });

  it('bounds the total size with maxSize and sizeOf', () => {
    const { store, evicted } = recorded({ maxSize: 10, sizeOf: (value) => value, policy: 'lru' });
    store.set('a', 4).set('b', 4);
    store.set('c', 4);
    expect(evicted).toEqual([['a', 'size']]);
    store.set('b', 1); // shrinking an entry frees room
    store.set('d', 5);
    expect(store.size).toBe(3);
    store.set('e', 9);
    expect([...store.keys()]).toEqual(['e']);
  });

  it('refuses an entry larger than maxSize instead of flushing the cache, and drops its old value', () => {
    const { store, evicted } = recorded({ maxSize: 10, sizeOf: (value) => value });
    store.set('a', 3).set('b', 3).set('big', 2);
    store.set('big', 11);
    expect(store.get('big')).toBeUndefined();
    expect(store.get('a')).toBe(3);
    expect(store.get('b')).toBe(3);
    expect(evicted).toEqual([['big', 'size']]);
    expect(() => store.set('x', Number.NaN)).toThrow(/sizeOf/);
  });

  it('estimates sizes of strings, buffers and JSON-like values by default', () => {
    const store = new MemoryStore<unknown>({ maxSize: 1000 });
    store.set('s', 'x'.repeat(400)); // ~800 bytes + overhead
    store.set('t', 'y'.repeat(400));
    expect(store.size).toBe(1);
    store.set('buf', new Uint8Array(2000));
    expect(store.has('buf')).toBe(false);
    const cyclic: Record<string, unknown> = { list: [1, 2, 3], when: new Date(), map: new Map([['k', 'v']]) };
    cyclic.self = cyclic;
    store.set('obj', cyclic);
    expect(store.get('obj')).toBe(cyclic);
  });
});

describe('TTL', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_700_000_000_000);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('expires lazily on read', () => {
    const { store, evicted } = recorded();
    store.set('a', 1, 1000).set('b', 2);
    vi.setSystemTime(Date.now() + 999);
    expect(store.get('a')).toBe(1);
    vi.setSystemTime(Date.now() + 1);
    expect(store.peek('a')).toBeUndefined();
    expect(store.has('a')).toBe(false);
    expect(store.get('a')).toBeUndefined();
    expect(store.get('b')).toBe(2);
    expect(evicted).toEqual([['a', 'expired']]);
  });

  it('reclaims expired entries on writes, without reading them (timer wheel)', () => {
    const { store, evicted } = recorded({ maxEntries: 100_000 });
    for (let i = 0; i < 1000; i++) store.set(`short${i}`, i, 500 + i);
    for (let i = 0; i < 1000; i++) store.set(`long${i}`, i, 3_600_000 + i * 1000);
    vi.setSystemTime(Date.now() + 5000);
    store.set('tick', 0);
    expect(store.size).toBe(1001);
    expect(evicted.length).toBe(1000);
    expect(evicted.every(([key, reason]) => key.startsWith('short') && reason === 'expired')).toBe(true);
    // Hours later, after cascading through the coarser levels of the wheel.
    vi.setSystemTime(Date.now() + 3_600_000 + 500_000);
    store.purgeExpired();
    // 506 have expired (i ≤ 505); the wheel may leave those of the last, partly swept ~65 s bucket.
    expect(store.size).toBeGreaterThanOrEqual(1 + 494);
    expect(store.size).toBeLessThanOrEqual(1 + 494 + 66);
    expect(evicted.slice(1000).every(([key]) => Number(key.slice(4)) <= 505)).toBe(true);
    vi.setSystemTime(Date.now() + 30 * 86_400_000);
    store.purgeExpired();
    expect([...store.keys()]).toEqual(['tick']);
    expect(store.stats().evictions.expired).toBe(2000);
  });

  it('applies the default ttl option, and ttl 0 or a later set without TTL removes the expiry', () => {
    const store = new MemoryStore<number>({ ttl: 100 });
    store.set('a', 1).set('b', 2, 0).set('c', 3);
    store.set('c', 4, 0);
    vi.setSystemTime(Date.now() + 200);
    expect(store.get('a')).toBeUndefined();
    expect(store.get('b')).toBe(2);
    expect(store.get('c')).toBe(4);
  });

  it('skips expired entries when iterating', () => {
    const store = new MemoryStore<number>();
    store.set('a', 1, 10).set('b', 2);
    vi.setSystemTime(Date.now() + 20);
    expect([...store.keys()]).toEqual(['b']);
    expect([...store.entries()]).toEqual([['b', 2]]);
  });
});

describe('events', () => {
  it('reports clear as deletions, supports off, and ignores other event names', () => {
    const seen: string[] = [];
    const listener = (key: string, _value: number, reason: EvictionReason) => seen.push(`${key}:${reason}`);
    const store = new MemoryStore<number>().on('evict', listener).on('error', () => {});
    store.set('a', 1).set('b', 2);
    store.clear();
    expect(seen.sort()).toEqual(['a:deleted', 'b:deleted']);
    store.off('evict', listener);
    store.set('c', 3).delete('c');
    expect(seen.length).toBe(2);
  });
});

describe('TTL with re-entrant listeners', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_700_000_000_000);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('lets an evict listener set and delete entries while expired ones are reclaimed', () => {
    const store: MemoryStore<number> = new MemoryStore<number>({
      maxEntries: 10_000,
      onEvict: (key, value, reason) => {
        if (reason !== 'expired') return;
        if (key.startsWith('a')) store.delete(`b${key.slice(1)}`); // deletes a sibling due in the same sweep
        store.set(`refreshed:${key}`, value, 60_000); // refresh pattern: grows the store during the sweep
      },
    });
    for (let i = 0; i < 300; i++) store.set(`a${i}`, i, 100).set(`b${i}`, i, 100);
    vi.setSystemTime(Date.now() + 2000);
    store.set('tick', 0);
    expect(store.stats().evictions.expired + store.stats().evictions.deleted).toBe(600);
    expect(store.size).toBe(1 + 300 + store.stats().evictions.expired - 300);
    vi.setSystemTime(Date.now() + 120_000);
    store.purgeExpired();
    expect(store.peek('tick')).toBe(0);
  });
});
