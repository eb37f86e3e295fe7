import { EventEmitter } from 'node:events';
import { describe, expect, test } from 'vitest';
import { Cache } from '../cache.js';
import { CircuitOpenError, SerializationError, StoreTimeoutError } from '../errors.js';
import { FlakyStore, KEYV_VERSIONS, sleep } from '../test-support/keyvs.js';
import type { CacheEvents } from '../types.js';

describe.each(KEYV_VERSIONS)('over %s', (_, makeKeyv) => {
  /** A cache over a store that can be told to fail, with the errors it reports. */
  function setup(options: ConstructorParameters<typeof Cache>[0] = {}) {
    const store = new FlakyStore();
    const cache = new Cache({ store: makeKeyv({ store }), storeTimeout: 50, ...options });
    const errors: CacheEvents['error'][] = [];
    cache.on('error', (e) => errors.push(e));
    return { store, cache, errors };
  }

  describe('a failing store never breaks the caller', () => {
    test.each(['throw', 'reject', 'hang'] as const)(
      'store that %s: the loader runs and its value is returned',
      async (mode) => {
        const { store, cache, errors } = setup({ memory: false });
        store.mode = mode;
        const started = Date.now();
        expect(await cache.getOrSet('k', async () => 'origin')).toBe('origin');
        expect(Date.now() - started).toBeLessThan(1000);
        expect(errors.length).toBeGreaterThan(0);
        expect(cache.stats().errors).toBe(errors.length);
        if (mode === 'hang') expect(errors[0].error).toBeInstanceOf(StoreTimeoutError);
      },
    );

    test('a hanging store costs at most the store timeout per call', async () => {
      const { store, cache } = setup({ memory: false, storeTimeout: 30, breaker: false });
      store.mode = 'hang';
      const started = Date.now();
      await cache.getOrSet('k', async () => 1);
      // one read and one write, each cut at 30 ms
      expect(Date.now() - started).toBeLessThan(200);
    });

    test('set, get, delete, invalidateTags and clear resolve while the store is down', async () => {
      const { store, cache, errors } = setup();
      store.mode = 'throw';
      await cache.set('k', 1);
      expect(await cache.get('k')).toBe(1); // still in L1
      await cache.delete('k');
      await cache.invalidateTags(['t']);
      await cache.clear();
      expect(errors.map((e) => e.operation)).toEqual(
        expect.arrayContaining(['set', 'delete', 'invalidateTags', 'clear']),
      );
    });

    test('the store comes back: caching resumes without a restart', async () => {
      const { store, cache } = setup({ memory: false, breaker: false });
      store.mode = 'throw';
      await cache.getOrSet('k', async () => 'while down');
      store.mode = 'ok';
      await cache.getOrSet('k', async () => 'after');
      let calls = 0;
      expect(await cache.getOrSet('k', async () => `again ${++calls}`)).toBe('after');
      expect(calls).toBe(0);
    });

    test("onError: 'throw' rejects the call instead", async () => {
      const { store, cache } = setup({ memory: false, onError: 'throw' });
      store.mode = 'throw';
      await expect(cache.getOrSet('k', async () => 1)).rejects.toThrow('store is down');
    });

    test("onError: 'throw' rejects with the timeout, then with the open breaker; the loader never runs", async () => {
      const { store, cache } = setup({
        memory: false,
        onError: 'throw',
        breaker: { threshold: 1, duration: 60_000 },
      });
      let loads = 0;
      store.mode = 'hang';
      await expect(cache.getOrSet('k', async () => ++loads)).rejects.toBeInstanceOf(StoreTimeoutError);
      await expect(cache.getOrSet('k', async () => ++loads)).rejects.toBeInstanceOf(CircuitOpenError);
      expect(loads).toBe(0);
    });

    test("onError: 'throw' with grace: a stale value in L1 is served when the store fails", async () => {
      const { store, cache } = setup({ onError: 'throw', ttl: 20, grace: '1m' });
      await cache.getOrSet('k', async () => 'old');
      await sleep(40);
      store.mode = 'throw';
      expect(await cache.getOrSet('k', async () => 'new')).toBe('old');
    });
  });

  describe('circuit breaker', () => {
    test('after `threshold` failures the store is skipped, then tried again after `duration`', async () => {
      const { store, cache, errors } = setup({ memory: false, breaker: { threshold: 3, duration: 100 } });
      store.mode = 'throw';
      for (let i = 0; i < 3; i++) await cache.getOrSet(`k${i}`, async () => i);
      expect(errors.some((e) => e.error instanceof CircuitOpenError)).toBe(true);
      const callsWhenOpen = store.calls.get + store.calls.set;
      for (let i = 0; i < 20; i++) expect(await cache.getOrSet(`x${i}`, async () => i)).toBe(i);
      expect(store.calls.get + store.calls.set).toBe(callsWhenOpen);
      store.mode = 'ok';
      await sleep(120);
      await cache.set('back', 'yes');
      expect(store.data.size).toBeGreaterThan(0);
    });
  });

  describe('serialization failures', () => {
    test('a value the serializer cannot encode is returned to the caller and reported', async () => {
      const { cache, errors, store } = setup({ memory: false });
      const value = { run: () => 1 };
      expect(await cache.getOrSet('k', async () => value)).toBe(value);
      expect(errors[0].error).toBeInstanceOf(SerializationError);
      expect(errors[0].error.message).toMatch(/function at \$\.v\.run/);
      expect(store.data.size).toBe(0);
    });

    test('garbage in the store reads as a miss', async () => {
      const { cache, store } = setup({ memory: false });
      await cache.set('k', 'good');
      for (const [key, entry] of store.data)
        store.data.set(key, { ...entry, value: '{"value":"not json{","expires":null}' });
      expect(await cache.getOrSet('k', async () => 'reloaded')).toBe('reloaded');
    });
  });
});

describe('a raw-string store (`cachet.raw`) that breaks the promise contract', () => {
  /** A raw store over a Map whose calls answer plain values, or throw before returning. */
  function rawStore(throws: boolean) {
    const data = new Map<string, string>();
    const answer = <T>(value: T): T => {
      if (throws) throw new Error('store down');
      return value;
    };
    return {
      data,
      cachet: { raw: true } as const,
      get: (key: string) => answer(data.get(key)),
      getMany: (keys: string[]) => answer(keys.map((key) => data.get(key))),
      set: (key: string, value: string) => answer(data.set(key, value) && true),
      delete: (key: string) => answer(data.delete(key)),
    };
  }

  test('one that throws instead of rejecting: every call still resolves, with errors reported', async () => {
    const store = rawStore(true);
    const cache = new Cache({ store: store as never, memory: false, breaker: false });
    const errors: CacheEvents['error'][] = [];
    cache.on('error', (e) => errors.push(e));
    expect(await cache.getOrSet('k', async () => 'origin', { tags: ['t'] })).toBe('origin');
    await cache.invalidateTags(['t']);
    await cache.delete('k');
    expect(errors.map((e) => e.operation)).toEqual(['get', 'set', 'invalidateTags', 'delete']);
  });

  test('one that answers plain values instead of promises: entries are read back from it', async () => {
    const store = rawStore(false);
    const cache = new Cache({ store: store as never, memory: false });
    const errors: CacheEvents['error'][] = [];
    cache.on('error', (e) => errors.push(e));
    let loads = 0;
    const load = async () => `value ${++loads}`;
    expect(await cache.getOrSet('k', load, { tags: ['t'] })).toBe('value 1');
    expect(await cache.getOrSet('k', load, { tags: ['t'] })).toBe('value 1');
    await cache.invalidateTags(['t']);
    expect(await cache.getOrSet('k', load, { tags: ['t'] })).toBe('value 2');
    expect(errors).toEqual([]);
    expect(store.data.size).toBeGreaterThan(1);
  });
});

describe("onError: 'throw' when the read of an entry's other tags fails", () => {
  test('the call fails through the load, which ends: the next call reads the entry again', async () => {
    const data = new Map<string, string>();
    let failTagRead = false;
    const store = {
      cachet: { raw: true } as const,
      get: async (key: string) => data.get(key),
      getMany: async (keys: string[]) => {
        if (failTagRead && keys.some((key) => key.endsWith('tag:other'))) throw new Error('tag read failed');
        return keys.map((key) => data.get(key));
      },
      set: async (key: string, value: string) => data.set(key, value) && true,
      delete: async (key: string) => data.delete(key),
    };
    const cache = new Cache({ store: store as never, memory: false, onError: 'throw', breaker: false });
    // Written with a tag the readers below do not name: its time is read after the entry's.
    await cache.set('k', 'cached', { tags: ['other'] });
    failTagRead = true;
    let loads = 0;
    await expect(cache.getOrSet('k', async () => `loaded ${++loads}`)).rejects.toThrow('tag read failed');
    failTagRead = false;
    expect(await cache.getOrSet('k', async () => `loaded ${++loads}`)).toBe('cached');
    expect(loads).toBe(0);
  });
});

describe('a raw-string store whose failing calls reject (`cachet.rejectsOnError`)', () => {
  /**
   * A raw store over a Map whose calls answer after 5 ms; `noise()` emits an error outside any call,
   * as a Sentinel client does for each sentinel it cannot reach; `down` makes calls emit and reject.
   */
  function rawStore(rejectsOnError: boolean) {
    const data = new Map<string, string>();
    const events = new EventEmitter();
    const store = {
      data,
      down: false,
      cachet: { raw: true, rejectsOnError } as const,
      noise: (n: number) => {
        for (let i = 0; i < n; i++) events.emit('error', new Error(`sentinel ${i} unreachable`));
      },
      answer: async <T>(value: () => T): Promise<T> => {
        await sleep(5);
        if (!store.down) return value();
        const error = new Error('store down');
        events.emit('error', error);
        throw error;
      },
      get: (key: string) => store.answer(() => data.get(key)),
      getMany: (keys: string[]) => store.answer(() => keys.map((key) => data.get(key))),
      set: (key: string, value: string) => store.answer(() => data.set(key, value) && true),
      delete: (key: string) => store.answer(() => data.delete(key)),
      on: (event: 'error', listener: (error: unknown) => void) => events.on(event, listener),
    };
    return store;
  }

  function setup(rejectsOnError: boolean) {
    const store = rawStore(rejectsOnError);
    const cache = new Cache({
      store: store as never,
      memory: false,
      breaker: { threshold: 2, duration: 10_000 },
    });
    const errors: CacheEvents['error'][] = [];
    cache.on('error', (e) => errors.push(e));
    let loads = 0;
    const load = async () => `value ${++loads}`;
    return { store, cache, errors, load, loads: () => loads };
  }

  test('errors emitted outside any call are reported, and neither fail the calls under way nor open the breaker', async () => {
    const { store, cache, errors, load, loads } = setup(true);
    await cache.getOrSet('k', load);
    const reads = [cache.getOrSet('k', load), cache.getOrSet('k', load)];
    store.noise(6);
    expect(await Promise.all(reads)).toEqual(['value 1', 'value 1']);
    // Three more than the breaker's threshold, and L2 still answers.
    for (let i = 0; i < 3; i++) expect(await cache.getOrSet('k', load)).toBe('value 1');
    expect(loads()).toBe(1);
    // The two concurrent calls share one read.
    expect(cache.stats().storeHits).toBe(4);
    expect(errors.map((e) => `${e.operation}: ${e.error.message}`)).toEqual(
      Array.from({ length: 6 }, (_, i) => `store: sentinel ${i} unreachable`),
    );
  });

  test('without it, the same errors open the breaker (Keyv 6 emits some failures instead of rejecting)', async () => {
    const { store, cache, errors, load, loads } = setup(false);
    await cache.getOrSet('k', load);
    const reads = [cache.getOrSet('k', load), cache.getOrSet('k', load)];
    store.noise(6);
    await Promise.all(reads);
    for (let i = 0; i < 3; i++) await cache.getOrSet('k', load);
    expect(errors.some((e) => e.error instanceof CircuitOpenError)).toBe(true);
    expect(loads()).toBe(4);
  });

  test('a call that rejects still counts, once: the breaker opens after its threshold', async () => {
    const { store, cache, errors, load } = setup(true);
    store.down = true;
    expect(await cache.getOrSet('a', load)).toBe('value 1');
    expect(await cache.getOrSet('b', load)).toBe('value 2');
    await sleep(10);
    const reported = errors.map((e) => (e.error instanceof CircuitOpenError ? 'open' : e.error.message));
    // The read of `a` and its write, then the breaker opens: `b` skips the store.
    expect(reported).toEqual(['store down', 'store down', 'open']);
  });
});
