import { Cache } from '@cachet/core';
import { memcacheStore, safeKey } from '@cachet/memcache';
import Keyv from 'keyv';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Memcached, startMemcached } from '../support/memcached.js';
import { ask } from '../support/server-process.js';
import { missing } from '../support/skip.js';

const skip = missing('memcached with the Cache engine', 'memcached');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One `stats` counter of a memcached, over the text protocol. */
async function stat(server: Memcached, name: string): Promise<number> {
  const reply = await askAll(server, 'stats');
  return Number(new RegExp(`STAT ${name} (\\d+)`).exec(reply)?.[1] ?? Number.NaN);
}

/** Sends a command and collects the reply up to END. */
function askAll(server: Memcached, line: string): Promise<string> {
  return new Promise((resolve) => {
    import('node:net').then(({ Socket }) => {
      const socket = new Socket();
      let reply = '';
      socket.setTimeout(1000, () => socket.destroy());
      socket.on('data', (chunk) => {
        reply += chunk;
        if (reply.endsWith('END\r\n')) socket.end();
      });
      socket.on('close', () => resolve(reply));
      socket.on('error', () => resolve(reply));
      socket.connect(server.port, '127.0.0.1', () => socket.write(`${line}\r\n`));
    });
  });
}

describe.skipIf(skip)('Memcached: odd keys, sub-second TTLs, clears without flush', () => {
  let servers: Memcached[] = [];
  const addresses = () => servers.map((server) => server.address);
  beforeAll(async () => {
    servers = await Promise.all([startMemcached(), startMemcached()]);
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
  });

  test('long and odd keys are stored under their sha256 form and stay distinct', async () => {
    const store = memcacheStore(addresses());
    const odd = [
      'k'.repeat(300),
      `${'k'.repeat(300)}!`,
      'with space',
      'line\nbreak',
      'tab\t',
      '#h:looks-hashed',
    ];
    for (const [i, key] of odd.entries()) await store.set(key, JSON.stringify({ value: i }));
    for (const [i, key] of odd.entries()) {
      const hashed = safeKey(key);
      expect(hashed).toMatch(/^#h:[A-Za-z0-9_-]{43}$/);
      // The item sits on one of the two servers under the hashed key, readable by any memcached client.
      const replies = await Promise.all(servers.map((server) => ask(server.port, `get ${hashed}`, 1000)));
      expect(replies.some((reply) => reply.startsWith('VALUE'))).toBe(true);
      expect(await store.get(key)).toMatchObject({ value: i });
    }
    expect(safeKey('plain:key')).toBe('plain:key');
    await store.disconnect();
  });

  test('keys spread over both servers', async () => {
    const store = memcacheStore(addresses());
    const before = await Promise.all(servers.map((server) => stat(server, 'curr_items')));
    for (let i = 0; i < 200; i++) await store.set(`spread-${i}`, '"x"');
    const after = await Promise.all(servers.map((server) => stat(server, 'curr_items')));
    const added = after.map((count, i) => count - before[i]);
    console.log(`[memcached] 200 keys spread as ${added.join(' / ')}`);
    for (const count of added) expect(count).toBeGreaterThan(40);
    await store.disconnect();
  });

  test('a 300 ms TTL expires on time through the cache, and on the server within 2 s (never "forever")', async () => {
    const store = memcacheStore(addresses());
    const cache = new Cache({ store, memory: false, namespace: 'ttl' });
    await cache.set('short', 'value', { ttl: 300 });
    expect(await cache.get('short')).toBe('value');
    await sleep(400);
    expect(await cache.get('short')).toBeUndefined();
    // At the server: @keyv/memcache alone would have sent exptime 0 (never expires).
    const raw = memcacheStore(addresses()); // no Keyv namespace: the key is used as given
    await raw.set('raw-short', '"v"', 300);
    const key = safeKey('raw-short');
    const holder = async () =>
      (await Promise.all(servers.map((s) => ask(s.port, `get ${key}`, 1000)))).join('');
    expect(await holder()).toContain('VALUE');
    await sleep(2300);
    expect(await holder()).not.toContain('VALUE');
    await Promise.all([cache.disconnect(), raw.disconnect()]);
  }, 10_000);

  test('a Cache stores its own strings, not Keyv-wrapped ones, and reads what it wrote', async () => {
    const store = memcacheStore(addresses());
    const cache = new Cache({ store, memory: false, namespace: 'plain' });
    await cache.set('k', { n: 1 }, { tags: ['t'] });
    const stored = await store.cachetGet('plain:k');
    expect(JSON.parse(stored as string)).toMatchObject({ v: { n: 1 }, t: ['t'] });
    expect(await store.cachetGet('plain:missing')).toBeNull();
    expect(await store.cachetGetMany(['plain:k', 'plain:missing'])).toEqual([stored, null]);
    expect(await cache.get('k')).toEqual({ n: 1 });
    await cache.invalidateTags(['t']);
    expect(await cache.get('k')).toBeUndefined();
    await cache.disconnect();
  });

  test("what a Cache wrote through Keyv (@cachet/memcache 0.1.0) is still read: entries, tags' and clears' times", async () => {
    // The cache of a process not yet upgraded: its store used through a Keyv, as 0.1.0 did.
    const older = new Cache({
      store: new Keyv({ store: memcacheStore(addresses()), namespace: undefined }),
      memory: false,
      namespace: 'upgrade',
    });
    const newer = new Cache({ store: memcacheStore(addresses()), memory: false, namespace: 'upgrade' });
    await older.set('old', 'written before', { tags: ['t'] });
    expect(await newer.get('old')).toBe('written before');
    await newer.set('new', 'written after', { tags: ['t'] });
    expect(await newer.get('new')).toBe('written after');
    await older.invalidateTags(['t']);
    expect(await newer.get('new')).toBeUndefined();
    await newer.set('later', 'written after the invalidation');
    await older.clear();
    expect(await newer.get('later')).toBeUndefined();
    await Promise.all([older.disconnect(), newer.disconnect()]);
  });

  test('cache.clear() and invalidateTags() leave other namespaces alone and never flush', async () => {
    const flushesBefore = await Promise.all(servers.map((server) => stat(server, 'cmd_flush')));
    const a = new Cache({ store: memcacheStore(addresses()), memory: false, namespace: 'tenant-a' });
    const b = new Cache({ store: memcacheStore(addresses()), memory: false, namespace: 'tenant-b' });
    await a.set('user:1', 'a1', { tags: ['users'] });
    await a.set('user:2', 'a2');
    await b.set('user:1', 'b1', { tags: ['users'] });
    await a.invalidateTags(['users']);
    expect(await a.get('user:1')).toBeUndefined();
    expect(await a.get('user:2')).toBe('a2');
    await a.clear();
    expect(await a.get('user:2')).toBeUndefined();
    expect(await b.get('user:1')).toBe('b1');
    // The store itself refuses a physical clear.
    await expect(memcacheStore(addresses()).clear()).rejects.toMatchObject({
      code: 'E_MEMCACHE_CLEAR_UNSUPPORTED',
    });
    const flushesAfter = await Promise.all(servers.map((server) => stat(server, 'cmd_flush')));
    expect(flushesAfter).toEqual(flushesBefore);
    await Promise.all([a.disconnect(), b.disconnect()]);
  });
});
