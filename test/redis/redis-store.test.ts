import { RedisClearError, redisStore } from '@cachet/redis';
import { describeStoreConformance } from '@cachet/testing';
import { createClient } from '@redis/client';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { type RedisServer, startRedis } from '../support/redis-server.js';
import { missing } from '../support/skip.js';

const skip = missing('redis store conformance', 'redis-server', 'redis-cli');

describe.skipIf(skip)('redisStore against a real redis-server', () => {
  let server: RedisServer;
  let stopped = false;
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(async () => {
    await server?.stop();
  });
  // The errors suite stops the server; bring it back for whatever runs next.
  afterEach(async () => {
    if (stopped) {
      await server.restart();
      stopped = false;
    }
  });

  describeStoreConformance('redisStore', () => redisStore({ url: server.url, connectTimeout: 1000 }), {
    clear: 'namespace',
    expiryResolution: 100,
    timeout: 3000,
    fail: async () => {
      stopped = true;
      server.crash();
    },
  });

  test('a first burst of reads, sent while connecting, waits for the connection; misses read as undefined', async () => {
    const store = redisStore({ url: server.url, namespace: 'burst' });
    const errors: unknown[] = [];
    store.on('error', (error: unknown) => errors.push(error));
    let fresh: ReturnType<typeof redisStore> | undefined;
    try {
      await store.set('a', 'A');
      // Made only now, so that its reads below are sent while it connects.
      fresh = redisStore({ url: server.url, namespace: 'burst' });
      fresh.on('error', (error: unknown) => errors.push(error));
      const reads = await Promise.all([
        fresh.get('a'),
        fresh.getMany(['a', 'missing']),
        fresh.get('missing'),
        fresh.getMany(['missing', 'a']),
      ]);
      expect(reads).toEqual(['A', ['A', undefined], undefined, [undefined, 'A']]);
      // Once connected, the same reads take the direct path and answer the same.
      expect(await fresh.get('a')).toBe('A');
      expect(await fresh.getMany(['a', 'missing'])).toEqual(['A', undefined]);
      expect(errors).toEqual([]);
    } finally {
      await Promise.all([store.disconnect(), fresh?.disconnect()]);
    }
  });

  test('the reads a Cache makes answer null for a missing key and reject a failure after one error event', async () => {
    const store = redisStore({ url: server.url, namespace: 'raw' });
    const errors: unknown[] = [];
    store.on('error', (error: unknown) => errors.push(error));
    const other = createClient({ url: server.url });
    try {
      await other.connect();
      await store.set('a', 'A');
      await other.hSet('raw::h', 'field', 'value'); // not a string: GET fails with WRONGTYPE
      expect(await store.cachetGet('a')).toBe('A');
      expect(await store.cachetGet('missing')).toBeNull();
      expect(await store.cachetGetMany(['a', 'missing'])).toEqual(['A', null]);
      await expect(store.cachetGet('h')).rejects.toThrow(/WRONGTYPE/);
      await new Promise((resolve) => setImmediate(resolve));
      expect(errors).toHaveLength(1);
      expect(String(errors[0])).toMatch(/WRONGTYPE/);
      // Keyv's own reads keep Keyv's answers.
      expect(await store.get('missing')).toBeUndefined();
      expect(await store.getMany(['a', 'missing'])).toEqual(['A', undefined]);
      // With throwOnErrors off, a failure is emitted and reads as missing, as KeyvRedis does.
      store.throwOnErrors = false;
      expect(await store.cachetGet('h')).toBeUndefined();
      expect(errors).toHaveLength(2);
      // An emitter that throws when no one listens: the read still only rejects (no stray rejection).
      store.throwOnErrors = true;
      store.removeAllListeners('error');
      store.throwOnEmptyListeners = true;
      await expect(store.cachetGet('h')).rejects.toThrow(/WRONGTYPE/);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      await other.quit();
      await store.disconnect();
    }
  });

  test("clear() deletes the store's namespace only, refuses without one (other applications' keys stay), and FLUSHDBs only when asked", async () => {
    const raw = createClient({ url: server.url });
    await raw.connect();
    const scoped = redisStore({ url: server.url, namespace: 'app' });
    const unscoped = redisStore(server.url);
    const flushing = redisStore({ url: server.url, noNamespaceAffectsAll: true });
    try {
      await raw.flushDb();
      await raw.set('other-app:session:1', 'theirs');
      await scoped.set('a', 'A');
      await unscoped.set('b', 'B');
      await scoped.clear();
      expect(await scoped.get('a')).toBeUndefined();
      expect((await raw.keys('*')).sort()).toEqual(['b', 'other-app:session:1']);
      // @keyv/redis alone would delete every key without '::' here: 'b' and the other application's.
      const refused = unscoped.clear();
      await expect(refused).rejects.toBeInstanceOf(RedisClearError);
      await expect(refused).rejects.toMatchObject({
        code: 'E_REDIS_CLEAR',
        message: expect.stringContaining('`namespace`'),
      });
      expect((await raw.keys('*')).sort()).toEqual(['b', 'other-app:session:1']);
      await flushing.clear();
      expect(await raw.keys('*')).toEqual([]);
    } finally {
      await Promise.all([scoped.disconnect(), unscoped.disconnect(), flushing.disconnect(), raw.quit()]);
    }
  });
});
