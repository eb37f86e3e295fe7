import { Cache, Cached } from '@cachet/core';
import { memcacheStore } from '@cachet/memcache';
import { afterEach, describe, expect, test } from 'vitest';
import { type Memcached, startMemcached } from '../support/memcached.js';
import { missing } from '../support/skip.js';

const skip = missing('memcached restarts', 'memcached');

/** How a promise ended within `ms`: its value, its error, or `'pending'`. */
async function outcome(promise: Promise<unknown>, ms: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve('pending'), ms);
  });
  const settled = promise.then(
    (value) => `resolved ${String(value)}`,
    (error: Error) => `rejected ${error.message}`,
  );
  try {
    return await Promise.race([settled, late]);
  } finally {
    clearTimeout(timer);
  }
}

describe.skipIf(skip)('memcacheStore when memcached dies and comes back', () => {
  let servers: Memcached[] = [];
  afterEach(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    servers = [];
  });

  test('a request written to a connection whose server just died fails instead of hanging', async () => {
    servers = [await startMemcached()];
    const store = memcacheStore({ servers: servers[0].address, timeout: 300, retries: 2 });
    try {
      await store.set('key', JSON.stringify({ value: 'before' }));
      // The server is dead and its end of the connection closed, but this process has not read the
      // close yet: the get is written to the old connection (memjs 1.3.2 left such a request waiting
      // forever).
      servers[0].crash();
      const started = performance.now();
      const result = await outcome(store.get('key'), 3000);
      expect(result).toMatch(/^rejected .*(closed|ECONNREFUSED)/);
      // Two attempts and the 200 ms retry delay, far below the 3 s bound.
      expect(performance.now() - started).toBeLessThan(1500);
    } finally {
      await store.disconnect();
    }
  });

  test('after memcached restarts on the same port, the same store reads and writes again', async () => {
    servers = [await startMemcached()];
    const { port } = servers[0];
    const store = memcacheStore({ servers: servers[0].address, timeout: 300 });
    try {
      await store.set('key', JSON.stringify({ value: 'before' }));
      servers[0].crash();
      expect(await outcome(store.get('key'), 3000)).toMatch(/^rejected/);
      await servers[0].stop();
      servers = [await startMemcached(port)];
      // A restarted memcached is empty; the store reconnects on the next call.
      const value = async () => (await store.get('key'))?.value;
      expect(await outcome(value(), 3000)).toBe('resolved undefined');
      await store.set('key', JSON.stringify({ value: 'after' }));
      expect(await value()).toBe('after');
    } finally {
      await store.disconnect();
    }
  });

  test('memcached dies: a @Cached method answers from itself at once; it comes back: caching resumes', async () => {
    servers = [await startMemcached()];
    const { port } = servers[0];
    const cache = new Cache({ store: memcacheStore(servers[0].address), memory: false, namespace: 'down' });
    const errors: string[] = [];
    cache.on('error', ({ operation }) => errors.push(operation));
    let loads = 0;
    class Users {
      @Cached({ cache, key: (id: number) => `user:${id}` })
      async get(id: number) {
        loads++;
        return { id, loads };
      }
    }
    const users = new Users();
    try {
      expect(await users.get(1)).toEqual({ id: 1, loads: 1 });
      expect(await users.get(1)).toEqual({ id: 1, loads: 1 });

      servers[0].crash();
      const started = performance.now();
      expect(await users.get(1)).toEqual({ id: 1, loads: 2 });
      // The store's own retries (2 attempts, 200 ms apart) are cut short by the cache's timeout.
      expect(performance.now() - started).toBeLessThan(1000);
      expect(errors.length).toBeGreaterThan(0);

      await servers[0].stop();
      servers = [await startMemcached(port)];
      // The cache's circuit breaker may stay open for a moment; the method answers meanwhile.
      const deadline = Date.now() + 10_000;
      let cachedAgain = false;
      while (!cachedAgain && Date.now() < deadline) {
        const before = loads;
        await users.get(2);
        await users.get(2);
        cachedAgain = loads - before <= 1;
        if (!cachedAgain) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(cachedAgain).toBe(true);
      const settled = loads;
      expect(await users.get(2)).toEqual({ id: 2, loads: settled });
      expect(loads).toBe(settled);
    } finally {
      await cache.disconnect();
    }
  }, 20_000);
});
