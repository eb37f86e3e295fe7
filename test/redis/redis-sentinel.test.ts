/**
 * Cachet over a Sentinel-managed Redis: one master, one replica and one sentinel on loopback. The store,
 * the bus and the lock go through the sentinel, and keep the cache working through two failovers: one
 * asked of the sentinel (SENTINEL FAILOVER), one forced by killing the master.
 */

import { type AddressInfo, createServer, type Socket } from 'node:net';
import { Cache, Cached, type CacheOptions } from '@cachet/core';
import { RedisBus, RedisLock, redisSentinelStore } from '@cachet/redis';
import { describeStoreConformance } from '@cachet/testing';
import { createClient } from '@redis/client';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { type RedisSentinelTopology, startRedisSentinel } from '../support/redis-sentinel.js';
import { freePort } from '../support/server-process.js';
import { missing } from '../support/skip.js';
import { TcpProxy } from '../support/tcp-proxy.js';

const skip = missing('Redis Sentinel', 'redis-server', 'redis-cli');
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Unhandled rejections seen while a test ran. */
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

/** Polls `check` every 20 ms until it resolves true; throws after `ms`. */
async function eventually(check: () => Promise<boolean> | boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(20);
  }
}

/** Reads `key` straight from the Redis on 127.0.0.1:port with a plain client (no sentinel). */
async function readDirect(port: number, key: string): Promise<string | null> {
  const client = createClient({ socket: { port, host: '127.0.0.1', reconnectStrategy: false } });
  client.on('error', () => {});
  await client.connect();
  try {
    return await client.get(key);
  } finally {
    client.destroy();
  }
}

/**
 * A Cache whose store, bus and lock all find the master through `sentinel`, each with `connectTimeout`;
 * `channel` is the bus's, the other options the Cache's.
 */
function throughSentinels(
  sentinel: { name: string; sentinels: Array<{ host: string; port: number }> },
  connectTimeout: number,
  { channel, ...options }: Omit<CacheOptions, 'store' | 'bus' | 'lock'> & { channel?: string } = {},
): Cache {
  return new Cache({
    store: redisSentinelStore({ ...sentinel, connectTimeout }),
    bus: new RedisBus({ sentinel, channel, connectTimeout }),
    lock: new RedisLock({ sentinel, connectTimeout }),
    ...options,
  });
}

/** A service whose `@Cached` method counts its runs (and tells `onLoad`). */
function users(cache: Cache, onLoad: () => void = () => {}) {
  class Users {
    loads = 0;
    @Cached({ cache, key: (id: number) => `user:${id}`, tags: (id: number) => [`user:${id}`, 'users'] })
    async get(id: number): Promise<{ id: number; name: string }> {
      this.loads++;
      onLoad();
      return { id, name: `user ${id}` };
    }
  }
  return new Users();
}

/** `['a', 'b', 'a']` as `'2× a, 1× b'`. */
function summary(items: string[]): string {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return [...counts].map(([item, n]) => `${n}× ${item}`).join(', ') || 'none';
}

/** What callers saw while they called through a failover. */
interface CallLog {
  calls: number;
  loads: number;
  /** Calls that rejected, or returned something other than the loader's value. */
  wrong: unknown[];
  slowest: number;
  /** Times (ms since the start) of calls that ran the loader. */
  loadedAt: number[];
}

/**
 * Four callers, each calling `@Cached` `users.get(id)` and `cache.getOrSet` in turn every 25 ms over
 * five keys, until `stop()`; every value is checked against what the loader returns.
 */
function callContinuously(cache: Cache, started: number) {
  const log: CallLog = { calls: 0, loads: 0, wrong: [], slowest: 0, loadedAt: [] };
  const loaded = () => {
    log.loads++;
    log.loadedAt.push(Math.round(performance.now() - started));
  };
  const service = users(cache, loaded);
  let running = true;
  const caller = async (n: number) => {
    for (let i = n; running; i += 4) {
      const id = i % 5;
      const before = performance.now();
      try {
        const value =
          i % 2 === 0
            ? await service.get(id)
            : await cache.getOrSet(`plain:${id}`, async () => {
                loaded();
                return { id, name: `user ${id}` };
              });
        if (value.name !== `user ${id}`) log.wrong.push(value);
      } catch (error) {
        log.wrong.push(error);
      }
      log.calls++;
      log.slowest = Math.max(log.slowest, performance.now() - before);
      await sleep(25);
    }
  };
  const done = Promise.all([0, 1, 2, 3].map(caller));
  return {
    stop: async () => {
      running = false;
      await done;
      return log;
    },
  };
}

describe.skipIf(skip)('Cachet over Redis Sentinel (master, replica, sentinel on loopback)', () => {
  let topo: RedisSentinelTopology;
  const closing: Array<{ disconnect(): Promise<unknown> }> = [];
  const target = () => ({ name: topo.name, sentinels: topo.sentinels });
  /** A Cache with a store, a bus and a lock, all over the sentinel; closed after the suite. */
  const fleetCache = (namespace: string, channel: string, options: { memory?: false } = {}) => {
    const bus = new RedisBus({ sentinel: target(), channel, connectTimeout: 1000 });
    const cache = new Cache({
      store: redisSentinelStore({ ...target(), connectTimeout: 1000 }),
      bus,
      lock: new RedisLock({ sentinel: target(), connectTimeout: 1000 }),
      namespace,
      breaker: { threshold: 5, duration: 1000 },
      ...options,
    });
    cache.on('error', () => {});
    closing.push(cache);
    return { cache, bus };
  };
  const subscribers = (channel: string) =>
    Number(topo.cli(topo.masterPort(), 'PUBSUB', 'NUMSUB', channel).split('\n')[1]);

  beforeAll(async () => {
    topo = await startRedisSentinel();
    process.on('unhandledRejection', onUnhandled);
  }, 30_000);
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await Promise.all(closing.map((c) => c.disconnect()));
    await topo?.stop();
  });
  afterEach(() => {
    expect(unhandled).toEqual([]);
    unhandled.length = 0;
  });

  // Connected before use: the first connection (sentinel, then master) takes some 50 ms, longer than
  // the 50 ms ttl that one conformance test gives its first write (Keyv dates the expiry before the call).
  describeStoreConformance(
    'redisSentinelStore',
    async () => {
      const store = redisSentinelStore({ ...target(), connectTimeout: 1000 });
      await store.getClient();
      return store;
    },
    { clear: 'namespace' },
  );

  test('bad options throw a TypeError that names the option', () => {
    expect(() => redisSentinelStore({ name: '', sentinels: topo.sentinels })).toThrow(/name must be/);
    expect(() => redisSentinelStore({ name: 'x', sentinels: [] })).toThrow(/sentinels must list/);
    expect(() => redisSentinelStore({ ...target(), connectTimeout: 0 })).toThrow(/connectTimeout must be/);
    expect(() => new RedisBus({ sentinel: { name: 'x', sentinels: [] } })).toThrow(/sentinel\.sentinels/);
    expect(() => new RedisLock({ url: 'redis://127.0.0.1:6379', sentinel: target() })).toThrow(/not both/);
  });

  test('no sentinel reachable: 20 parallel calls get the loader’s values at once and report errors', async () => {
    const nowhere = { name: 'cachet', sentinels: [{ host: '127.0.0.1', port: await freePort() }] };
    const cache = throughSentinels(nowhere, 300, { memory: false });
    const errors: string[] = [];
    cache.on('error', ({ operation }) => errors.push(operation));
    const started = performance.now();
    const values = await Promise.all(
      Array.from({ length: 20 }, (_, i) => cache.getOrSet(`k${i}`, async () => i)),
    );
    const took = performance.now() - started;
    expect(values).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(took).toBeLessThan(2000);
    expect(errors).toContain('get');
    expect(errors).toContain('lock');
    await cache.disconnect();
  });

  test('the first sentinel listed is down: the store, the bus and the lock connect through the next', async () => {
    const down = await freePort();
    const sentinel = { name: topo.name, sentinels: [{ host: '127.0.0.1', port: down }, ...topo.sentinels] };
    const channel = 'cachet:bus:first-down';
    const namespace = 'first-down';
    const cache = throughSentinels(sentinel, 500, { channel, namespace });
    const errors: string[] = [];
    cache.on('error', ({ operation, error }) => errors.push(`${operation}: ${error.message}`));
    closing.push(cache);
    let loads = 0;
    const loader = async () => {
      loads++;
      await sleep(100);
      return { loads };
    };
    const started = performance.now();
    const first = await Promise.all(Array.from({ length: 5 }, () => cache.getOrSet('k', loader)));
    const took = performance.now() - started;
    expect(first).toEqual(Array(5).fill({ loads: 1 }));
    // node-redis reports the sentinel it could not reach, and nothing else goes wrong.
    expect(errors.filter((error) => !error.includes(`127.0.0.1:${down}`))).toEqual([]);
    // Written to the master, through the second sentinel.
    expect(await readDirect(topo.masterPort(), `${namespace}:k`)).toContain('"loads":1');
    const other = new Cache({
      store: redisSentinelStore({ ...sentinel, connectTimeout: 500 }),
      memory: false,
      namespace,
    });
    closing.push(other);
    expect(await other.getOrSet('k', loader)).toEqual({ loads: 1 });
    expect(other.stats().storeHits).toBe(1);
    await eventually(() => subscribers(channel) === 1, 5000, 'the bus to subscribe on the master');
    console.log(
      `[sentinel] first sentinel down: 5 concurrent getOrSet answered in ${took.toFixed(0)} ms; errors reported: ${summary(errors)}`,
    );
  });

  test('three of the four sentinels listed are down: their errors are reported, and L2 keeps answering (the breaker stays closed)', async () => {
    const dead = [await freePort(), await freePort(), await freePort()];
    const sentinels = [...dead.map((port) => ({ host: '127.0.0.1', port })), ...topo.sentinels];
    const namespace = 'three-down';
    const writer = new Cache({ store: redisSentinelStore({ ...target(), connectTimeout: 500 }), namespace });
    closing.push(writer);
    await writer.set('k', { written: true });
    // The default breaker: 5 consecutive failures open it. Each dead sentinel costs node-redis two errors.
    const cache = new Cache({
      store: redisSentinelStore({ name: topo.name, sentinels, connectTimeout: 500 }),
      memory: false,
      namespace,
    });
    closing.push(cache);
    const errors: string[] = [];
    cache.on('error', ({ operation, error }) => errors.push(`${operation}: ${error.message}`));
    let loads = 0;
    const loader = async () => ({ written: false, loads: ++loads });
    const values = await Promise.all(Array.from({ length: 5 }, () => cache.getOrSet('k', loader)));
    for (let i = 0; i < 5; i++) values.push(await cache.getOrSet('k', loader));
    expect(values).toEqual(Array(10).fill({ written: true }));
    expect(loads).toBe(0);
    expect(cache.stats().storeHits).toBe(6);
    // Every error is about a dead sentinel, and reported; none is the breaker's.
    expect(errors.length).toBeGreaterThanOrEqual(dead.length);
    expect(errors.filter((error) => !dead.some((port) => error.includes(`127.0.0.1:${port}`)))).toEqual([]);
    console.log(`[sentinel] three sentinels down: 6 L2 hits, no loads; errors reported: ${errors.length}`);
  });

  test('the only sentinel listed accepts connections and never answers: calls get the loader’s value, disconnect returns (store, bus and lock)', async () => {
    // A stopped sentinel process: the kernel still accepts the connection, nothing ever answers. The
    // store cannot find the master, and node-redis's graceful close waits for its search to end.
    const accepted: Socket[] = [];
    const silent = createServer((socket) => accepted.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;
    const sentinel = { name: topo.name, sentinels: [{ host: '127.0.0.1', port }] };
    const cache = throughSentinels(sentinel, 300, { storeTimeout: 300 });
    const errors: string[] = [];
    cache.on('error', ({ operation }) => errors.push(operation));
    try {
      const started = performance.now();
      expect(await Promise.all([1, 2, 3].map((n) => cache.getOrSet(`k${n}`, async () => n)))).toEqual([
        1, 2, 3,
      ]);
      expect(performance.now() - started).toBeLessThan(1500);
      expect(errors).toContain('get');
      const closing = performance.now();
      await cache.disconnect();
      const closed = performance.now() - closing;
      expect(closed).toBeLessThan(1500);
      console.log(`[sentinel] silent sentinel: disconnect returned after ${closed.toFixed(0)} ms`);
    } finally {
      // Closing the connections ends node-redis's wait, and with it the destroyed client's.
      for (const socket of accepted) socket.destroy();
      silent.close();
    }
  });

  test('a silent sentinel listed first is given up after its silence limit: the store, the bus and the lock connect through the next, and stay connected while idle', async () => {
    const accepted: Socket[] = [];
    const silent = createServer((socket) => accepted.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;
    // connectTimeout 300 ms: a sentinel silent for 1 s is dropped; the one kept open is pinged every 500 ms.
    const sentinel = { name: topo.name, sentinels: [{ host: '127.0.0.1', port }, ...topo.sentinels] };
    const channel = 'cachet:bus:silent-first';
    const namespace = 'silent-first';
    const cache = throughSentinels(sentinel, 300, { channel, storeTimeout: 300, memory: false, namespace });
    closing.push(cache);
    const errors: string[] = [];
    cache.on('error', ({ operation, error }) => errors.push(`${operation}: ${error.message}`));
    try {
      const started = performance.now();
      let loads = 0;
      const loader = async () => ++loads;
      // The first calls do not wait for the search: they get the loader's value.
      expect(await cache.getOrSet('first', loader)).toBe(1);
      const storeHit = async () => {
        const before = cache.stats().storeHits;
        await cache.getOrSet('k', loader);
        return cache.stats().storeHits > before;
      };
      await eventually(storeHit, 5000, 'L2 to answer through the second sentinel');
      const connected = performance.now() - started;
      await eventually(() => subscribers(channel) === 1, 5000, 'the bus to subscribe on the master');
      expect(await readDirect(topo.masterPort(), `${namespace}:k`)).not.toBeNull();
      // Idle for more than twice the silence limit: the pinged connections are kept, nothing fails.
      const quiet = errors.length;
      await sleep(3000);
      // The connections listening for failovers on the sentinel (pattern subscriptions) are older than
      // the silence limit: none was dropped and opened again meanwhile.
      const listeners = topo
        .cli(topo.sentinels[0].port, 'CLIENT', 'LIST')
        .split('\n')
        .filter((line) => / psub=[1-9]/.test(line))
        .map((line) => Number(/ age=(\d+)/.exec(line)?.[1]));
      expect(listeners.length).toBeGreaterThanOrEqual(3);
      expect(Math.min(...listeners)).toBeGreaterThanOrEqual(2);
      const hits = cache.stats().storeHits;
      expect(await cache.getOrSet('k', loader)).toBe(loads);
      expect(cache.stats().storeHits).toBe(hits + 1);
      // A miss takes the lock and writes through the same clients: a failure would be reported.
      expect(await cache.getOrSet('after-idle', loader)).toBe(loads);
      expect(await readDirect(topo.masterPort(), `${namespace}:after-idle`)).not.toBeNull();
      expect(errors.slice(quiet)).toEqual([]);
      expect(subscribers(channel)).toBe(1);
      console.log(
        `[sentinel] silent sentinel first: L2 answered after ${connected.toFixed(0)} ms; idle 3 s without errors, failover listeners kept; errors before: ${summary(errors)}`,
      );
    } finally {
      for (const socket of accepted) socket.destroy();
      silent.close();
    }
  });

  test('get, set, getOrSet and @Cached hit L2 on the master; a tag invalidation reaches every process', async () => {
    const a = new Cache({ store: redisSentinelStore(target()), memory: false, namespace: 'basic' });
    const b = new Cache({ store: redisSentinelStore(target()), memory: false, namespace: 'basic' });
    closing.push(a, b);
    let loads = 0;
    const loader = async () => {
      loads++;
      return { n: loads };
    };
    expect(await a.getOrSet('k', loader, { tags: ['team:7'] })).toEqual({ n: 1 });
    // b has no L1: its hit comes from Redis, through its own sentinel client.
    expect(await b.getOrSet('k', loader)).toEqual({ n: 1 });
    expect(loads).toBe(1);
    expect(await readDirect(topo.masterPort(), 'basic:k')).toContain('"n":1');

    await a.set('s', 'written by a');
    expect(await b.get('s')).toBe('written by a');
    expect(await b.get('missing')).toBeUndefined();

    const serviceA = users(a);
    const serviceB = users(b);
    expect(await serviceA.get(1)).toEqual({ id: 1, name: 'user 1' });
    expect(await serviceB.get(1)).toEqual({ id: 1, name: 'user 1' });
    expect([serviceA.loads, serviceB.loads]).toEqual([1, 0]);

    await b.invalidateTags(['team:7', 'users']);
    expect(await a.getOrSet('k', loader)).toEqual({ n: 2 });
    expect(await serviceA.get(1)).toEqual({ id: 1, name: 'user 1' });
    expect(serviceA.loads).toBe(2);
    expect(b.stats().storeHits).toBeGreaterThan(0);
  });

  test('RedisBus over Sentinel: a write in one process drops the entry from the other’s L1', async () => {
    const channel = 'cachet:bus:sentinel-bus';
    const { cache: a } = fleetCache('bus', channel);
    const { cache: b } = fleetCache('bus', channel);
    await eventually(() => subscribers(channel) === 2, 5000, 'both buses subscribed on the master');
    await a.set('k', 'v1');
    expect(await b.get('k')).toBe('v1'); // now in b's L1
    await a.set('k', 'v2');
    await eventually(async () => (await b.get('k')) === 'v2', 2000, 'b to drop its L1 copy');
    await a.delete('k');
    await eventually(async () => (await b.get('k')) === undefined, 2000, 'b to drop the deleted entry');
  });

  test('RedisBus over Sentinel: subscribe gives up while the sentinel is unreachable, then subscribes when it is back', async () => {
    const proxy = await new TcpProxy(topo.sentinels[0].port).listen();
    proxy.refusing = true;
    const sentinel = { name: topo.name, sentinels: [{ host: '127.0.0.1', port: proxy.port }] };
    const channel = 'cachet:bus:sentinel-late';
    const bus = new RedisBus({ sentinel, channel, connectTimeout: 300 });
    const publisher = new RedisBus({ sentinel: target(), channel });
    try {
      let reconnects = 0;
      bus.onReconnect(() => reconnects++);
      const received: unknown[] = [];
      await expect(bus.subscribe((message) => received.push(message))).rejects.toMatchObject({
        code: 'E_REDIS_CONNECT',
      });
      proxy.heal();
      await eventually(() => reconnects === 1, 10_000, 'the late subscription');
      await publisher.publish({ kind: 'clear', origin: 'p', namespace: 'ns' });
      await eventually(() => received.length === 1, 2000, 'a message on the late subscription');
    } finally {
      await Promise.all([bus.disconnect(), publisher.disconnect()]);
      await proxy.close();
    }
  });

  test('RedisLock over Sentinel: 20 concurrent callers on two caches run the loader once', async () => {
    const { cache: a } = fleetCache('lock', 'cachet:bus:sentinel-lock', { memory: false });
    const { cache: b } = fleetCache('lock', 'cachet:bus:sentinel-lock', { memory: false });
    let loads = 0;
    const loader = async () => {
      loads++;
      await sleep(200);
      return 'expensive';
    };
    const values = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).getOrSet('report', loader)),
    );
    expect(values).toEqual(Array(20).fill('expensive'));
    expect(loads).toBe(1);
  });

  for (const kill of [false, true]) {
    const how = kill ? 'the master is killed (SIGKILL)' : 'SENTINEL FAILOVER';
    test(`${how}: callers keep getting the loader's value; then L2, the bus and the lock work on the new master`, async () => {
      const channel = `cachet:bus:failover-${kill}`;
      const namespace = `failover-${kill}`;
      const { cache } = fleetCache(namespace, channel, { memory: false });
      const errors: string[] = [];
      cache.on('error', ({ operation, error }) => errors.push(`${operation}: ${error.message}`));
      const { cache: a } = fleetCache(namespace, channel);
      const { cache: b, bus: busB } = fleetCache(namespace, channel);
      let reconnects = 0;
      busB.onReconnect(() => reconnects++);
      await eventually(() => subscribers(channel) === 3, 5000, 'the buses subscribed on the master');
      await topo.waitForReplica();
      const oldMaster = topo.masterPort();

      const started = performance.now();
      const callers = callContinuously(cache, started);
      await sleep(300); // callers warm the cache: hits from here on
      const failingOver = performance.now();
      const newMaster = await topo.failover({ kill });
      const reported = performance.now() - failingOver;
      expect(newMaster).not.toBe(oldMaster);

      // After the failover, the cache serves hits from the new master again.
      await eventually(
        async () => {
          const hits = cache.stats().storeHits;
          await cache.getOrSet('plain:0', async () => ({ id: 0, name: 'user 0' }));
          return cache.stats().storeHits > hits;
        },
        10_000,
        'store hits again',
      );
      const recovered = performance.now() - failingOver;
      await sleep(300);
      const log = await callers.stop();
      const fellBack = log.loadedAt.filter((at) => at > failingOver - started);
      const window = fellBack.length === 0 ? 0 : Math.round(Math.max(...fellBack) - (failingOver - started));
      console.log(
        `[sentinel] ${how}: sentinel named the new master after ${reported.toFixed(0)} ms; ` +
          `L2 hits again after ${recovered.toFixed(0)} ms; ${log.calls} calls, none failed, ` +
          `${fellBack.length} ran the loader (the last ${window} ms after the failover began), ` +
          `slowest ${log.slowest.toFixed(0)} ms; cache errors: ${summary(errors)}`,
      );
      expect(log.wrong).toEqual([]);
      expect(log.calls).toBeGreaterThan(40);
      // A call waits at most a read and a write storeTimeout (500 ms each), plus a lock wait (1 s).
      expect(log.slowest).toBeLessThan(3000);

      // Writes land on the new master: read them back from it without any sentinel.
      await cache.set('after', 'on the new master');
      expect(await readDirect(newMaster, `${namespace}:after`)).toContain('on the new master');
      expect(await cache.get('after')).toBe('on the new master');

      // The bus moved too: b noticed (and flushed its L1), and a's writes evict b's L1 copy again.
      await eventually(() => reconnects >= 1, 5000, 'b’s bus to resubscribe on the new master');
      await eventually(() => subscribers(channel) === 3, 5000, 'the buses subscribed on the new master');
      await a.set('k', 'v1');
      expect(await b.get('k')).toBe('v1');
      await a.set('k', 'v2');
      await eventually(
        async () => (await b.get('k')) === 'v2',
        2000,
        'b to drop its L1 copy after the failover',
      );

      // And the lock: concurrent callers on both caches run the loader once.
      let loads = 0;
      const values = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          (i % 2 === 0 ? a : b).getOrSet(`report-${kill}`, async () => {
            loads++;
            await sleep(200);
            return 'expensive';
          }),
        ),
      );
      expect(values).toEqual(Array(10).fill('expensive'));
      expect(loads).toBe(1);
    }, 20_000);
  }
});
