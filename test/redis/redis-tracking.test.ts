import { Cache } from '@cachet/core';
import { redisStore } from '@cachet/redis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RedisServer, startRedis } from '../support/redis-server.js';
import { missing } from '../support/skip.js';

const skip = missing('redisStore tracking', 'redis-server', 'redis-cli');

/** Runs `check` every 20 ms until it resolves true; throws after `ms` with `what`. */
async function until(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Calls `cache.get` until a call reports no store error (the store is connected), for at most 3 s. */
function connected(cache: Cache, what: string): Promise<void> {
  return until(
    async () => {
      const errors = cache.stats().errors;
      await cache.get('probe');
      return cache.stats().errors === errors;
    },
    3000,
    what,
  );
}

/**
 * Two `Cache`s over two `redisStore`s stand for two processes (each store has its own connection);
 * neither has a bus or L1, so all either knows of the other's invalidations comes from Redis.
 */
describe.skipIf(skip)('redisStore tracking: tag and clear times followed without a bus', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** How many times Redis ran `command` so far. */
  const calls = (command: string): number => {
    const line = server.cli('INFO', 'commandstats').match(new RegExp(`cmdstat_${command}:calls=(\\d+)`));
    return line === null ? 0 : Number(line[1]);
  };

  /** A loader that counts its runs and returns the run's number. */
  const counter = () => {
    let runs = 0;
    return { load: async () => ++runs, runs: () => runs };
  };

  const pair = (namespace: string, options: Parameters<typeof redisStore>[0] & object = {}) => {
    const reader = new Cache({
      store: redisStore({ url: server.url, ...options }),
      memory: false,
      namespace,
    });
    const writer = new Cache({
      store: redisStore({ url: server.url, ...options }),
      memory: false,
      namespace,
    });
    return { reader, writer };
  };

  /** Reads `key` (tagged `tag`) until a hit reads the entry alone, or gives up after 2 s. */
  const untilFollowed = async (cache: Cache, key: string, tag: string, load: () => Promise<number>) => {
    await until(
      async () => {
        const before = calls('mget');
        await cache.getOrSet(key, load, { tags: [tag] });
        return calls('mget') === before;
      },
      2000,
      'a hit that reads the entry alone',
    );
  };

  test('once a tag is read, a hit is one GET, and another process invalidating it is seen on the next read', async () => {
    const { reader, writer } = pair('follow');
    const loads = counter();
    expect(await reader.getOrSet('user:1', loads.load, { tags: ['user:1'] })).toBe(1);
    await untilFollowed(reader, 'user:1', 'user:1', loads.load);

    const [mget, get] = [calls('mget'), calls('get')];
    for (let i = 0; i < 20; i++)
      expect(await reader.getOrSet('user:1', loads.load, { tags: ['user:1'] })).toBe(1);
    expect(calls('mget') - mget).toBe(0);
    expect(calls('get') - get).toBe(20);

    await writer.invalidateTags(['user:1']);
    expect(await reader.getOrSet('user:1', loads.load, { tags: ['user:1'] })).toBe(2);
    expect(loads.runs()).toBe(2);

    await writer.clear();
    expect(await reader.getOrSet('user:1', loads.load, { tags: ['user:1'] })).toBe(3);
    await Promise.all([reader.disconnect(), writer.disconnect()]);
  });

  test('under load, a read that starts after another process invalidated a tag never serves an entry it invalidated', async () => {
    const { reader, writer } = pair('race');
    let generation = 0;
    const load = async () => generation;
    // Other keys of the tag, read without pause: replies and Redis's pushes interleave on the reader's
    // connection while the checked reads run.
    let running = true;
    const background = Array.from({ length: 8 }, async (_, i) => {
      while (running) await reader.getOrSet(`busy:${i}`, load, { tags: ['t'] });
    });
    const keys = Array.from({ length: 10 }, (_, i) => `k${i}`);
    let stale = 0;
    let hits = 0;
    for (let round = 0; round < 100; round++) {
      generation++;
      await writer.invalidateTags(['t']);
      // Read at once: Redis's push for the invalidation often reaches the reader only with the reply.
      const values = await Promise.all(keys.map((key) => reader.getOrSet(key, load, { tags: ['t'] })));
      stale += values.filter((value) => value < generation).length;
      // An entry loaded in the invalidation's millisecond counts as older than it when read back
      // (processes' clocks compare by the millisecond): the hits are checked on entries loaded later.
      await new Promise((resolve) => setTimeout(resolve, 2));
      const loaded = await Promise.all(keys.map((key) => reader.getOrSet(key, load, { tags: ['t'] })));
      const again = await Promise.all(
        keys.map((key) => reader.getOrSet(key, async () => -1, { tags: ['t'] })),
      );
      hits += again.filter((value, i) => value === loaded[i]).length;
    }
    running = false;
    await Promise.all(background);
    expect(stale).toBe(0);
    expect(hits).toBe(100 * keys.length);
    await Promise.all([reader.disconnect(), writer.disconnect()]);
  });

  test('caches of one namespace over one store share its tracking', async () => {
    const store = redisStore(server.url);
    const first = new Cache({ store, memory: false, namespace: 'shared' });
    const second = new Cache({ store, memory: false, namespace: 'shared' });
    const writer = new Cache({ store: redisStore(server.url), memory: false, namespace: 'shared' });
    const loads = counter();
    for (const cache of [first, second]) {
      await cache.getOrSet('k', loads.load, { tags: ['t'] });
      await untilFollowed(cache, 'k', 't', loads.load);
    }
    await writer.invalidateTags(['t']);
    expect(await first.getOrSet('k', loads.load, { tags: ['t'] })).toBe(2);
    expect(await second.getOrSet('k', loads.load, { tags: ['t'] })).toBe(2);
    await Promise.all([first.disconnect(), writer.disconnect()]);
  });

  test('an invalidation made while the connection is down is seen once it is back', async () => {
    const reader = new Cache({
      store: redisStore({ url: server.url, client: { name: 'tracking-reader' } }),
      memory: false,
      namespace: 'reconnect',
    });
    const writer = new Cache({ store: redisStore(server.url), memory: false, namespace: 'reconnect' });
    reader.on('error', () => {});
    const loads = counter();
    await reader.getOrSet('k', loads.load, { tags: ['t'] });
    await untilFollowed(reader, 'k', 't', loads.load);

    // Drops the reader's connection, and with it its tracking; the writer invalidates at once, while
    // the reader waits to reconnect (50 ms at first).
    const id = server.cli('CLIENT', 'LIST').match(/id=(\d+) [^\n]*name=tracking-reader/)![1];
    server.cli('CLIENT', 'KILL', 'ID', id);
    await writer.invalidateTags(['t']);

    // Once the reader is connected again (a read that reports no error), it sees the invalidation.
    await connected(reader, 'the reader to reconnect');
    expect(await reader.getOrSet('k', loads.load, { tags: ['t'] })).toBe(2);
    // Tracking is back: hits read the entry alone again.
    await untilFollowed(reader, 'k', 't', loads.load);
    expect(loads.runs()).toBe(2);
    await Promise.all([reader.disconnect(), writer.disconnect()]);
  });

  test('with tracking off, or refused by the server, every hit reads the times, and invalidations are still seen', async () => {
    server.cli('ACL', 'SETUSER', 'notrack', 'on', 'nopass', '~*', '&*', '+@all', '-client');
    const refused = pair('refused', { client: { username: 'notrack', password: 'x' } });
    const off = pair('off', { tracking: false });
    for (const { reader, writer } of [refused, off]) {
      const loads = counter();
      await reader.getOrSet('k', loads.load, { tags: ['t'] });
      const mget = calls('mget');
      for (let i = 0; i < 5; i++) expect(await reader.getOrSet('k', loads.load, { tags: ['t'] })).toBe(1);
      expect(calls('mget') - mget).toBe(5);
      await writer.invalidateTags(['t']);
      expect(await reader.getOrSet('k', loads.load, { tags: ['t'] })).toBe(2);
      await Promise.all([reader.disconnect(), writer.disconnect()]);
    }
  });

  test('tracking needs RESP3: asking for it over RESP2 is refused with the fix', () => {
    expect(() => redisStore({ url: server.url, tracking: true, client: { RESP: 2 } })).toThrow(
      /tracking needs RESP3.*client\.RESP is 2.*tracking: false/,
    );
  });
});

/** A server that does not know `HELLO`, as Redis before 6 and some proxies: no RESP3. */
describe.skipIf(skip)('redisStore on a server without RESP3', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedis(['--rename-command', 'HELLO', 'HELLO_RENAMED']);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const cache = (options: Parameters<typeof redisStore>[0] & object = {}) =>
    new Cache({ store: redisStore({ url: server.url, ...options }), memory: false, namespace: 'old' });

  test('the store switches to RESP2 by itself: entries are cached, and other processes’ invalidations are seen', async () => {
    const reader = cache();
    const writer = cache();
    let runs = 0;
    const load = async () => ++runs;
    // The calls made while the store finds out that the server has no RESP3 run the loader.
    expect(await reader.getOrSet('k', load, { tags: ['t'] })).toBe(1);
    await Promise.all([connected(reader, 'the reader on RESP2'), connected(writer, 'the writer on RESP2')]);
    const cached = await reader.getOrSet('k', load, { tags: ['t'] });
    for (let i = 0; i < 5; i++) expect(await reader.getOrSet('k', load, { tags: ['t'] })).toBe(cached);
    expect(runs).toBe(cached);
    const clients = server.cli('CLIENT', 'LIST');
    expect(clients).toMatch(/resp=2/);
    expect(clients).not.toMatch(/resp=3/);
    // No tracking over RESP2: the reader reads the tag's time with the entry, and sees the writer's.
    await writer.invalidateTags(['t']);
    expect(await reader.getOrSet('k', load, { tags: ['t'] })).toBe(cached + 1);
    await Promise.all([reader.disconnect(), writer.disconnect()]);
  });

  test('a RESP version the caller chose is kept: client.RESP: 3 stays unconnected', async () => {
    const chosen = cache({ client: { RESP: 3 }, connectTimeout: 300 });
    let runs = 0;
    const load = async () => ++runs;
    for (let i = 0; i < 3; i++) {
      expect(await chosen.getOrSet('k', load)).toBe(i + 1);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(chosen.stats().errors).toBeGreaterThan(0);
    await chosen.disconnect();
  });
});
