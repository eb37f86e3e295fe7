import { afterEach, describe, expect, test, vi } from 'vitest';
import { Cache } from '../cache.js';
import { CountingStore, LocalHub, sleep } from '../test-support/keyvs.js';

/** Two processes' caches over one store and one bus (both in-process fakes: engine unit tests). */
function pair(memory: false | undefined = undefined) {
  const store = new CountingStore();
  const hub = new LocalHub();
  const busA = hub.bus();
  const busB = hub.bus();
  const a = new Cache({ store, bus: busA, ...(memory === false ? { memory } : {}) });
  const b = new Cache({ store, bus: busB, ...(memory === false ? { memory } : {}) });
  return { store, a, b, busB };
}

describe('with a bus', () => {
  test("an invalidation in one process drops the entry from the other's L1", async () => {
    const { a, b } = pair();
    await a.getOrSet('k', async () => 'v1', { tags: ['t'] });
    expect(await b.getOrSet('k', async () => 'b1', { tags: ['t'] })).toBe('v1');
    await a.invalidateTags(['t']);
    await sleep(1);
    expect(await b.getOrSet('k', async () => 'b2', { tags: ['t'] })).toBe('b2');
    await a.set('k', 'a3');
    await sleep(1);
    expect(await b.get('k')).toBe('a3');
    await b.delete('k');
    await sleep(1);
    expect(await a.get('k')).toBeUndefined();
  });

  test("a cache acts only on its own namespace's messages: another namespace's same key and tag stay hits", async () => {
    const store = new CountingStore();
    const hub = new LocalHub();
    const users = new Cache({ store, bus: hub.bus(), namespace: 'users' });
    const usersElsewhere = new Cache({ store, bus: hub.bus(), namespace: 'users' });
    const orders = new Cache({ store, bus: hub.bus(), namespace: 'orders' });
    let loads = 0;
    const load = (cache: Cache) => cache.getOrSet('1', async () => ++loads, { tags: ['t'] });
    const hits = (cache: Cache) => cache.stats().memoryHits;
    for (const cache of [users, usersElsewhere, orders]) await load(cache);
    const ordersValue = await load(orders);
    const before = hits(orders);
    await users.set('1', 'new');
    await users.invalidateTags(['t']);
    await users.delete('1');
    await sleep(1);
    // The same namespace in another process drops its copy and reloads...
    const elsewhereBefore = loads;
    await load(usersElsewhere);
    expect(loads).toBe(elsewhereBefore + 1);
    // ...another namespace's entry of the same key and tag is still a memory hit.
    expect(await load(orders)).toBe(ordersValue);
    expect(hits(orders)).toBe(before + 1);
    // A message without a namespace (an older Cachet's) is applied by every cache: L1 dropped, so
    // the next read goes to the store.
    await hub.bus().publish({ kind: 'delete', origin: 'old', keys: ['1'] });
    await sleep(1);
    const storeHits = orders.stats().storeHits;
    expect(await load(orders)).toBe(ordersValue);
    expect(orders.stats().storeHits).toBe(storeHits + 1);
  });

  test('tag times are read from the store once, then kept by the bus: a store hit reads one key', async () => {
    const { store, a, b } = pair(false);
    await sleep(1);
    await a.getOrSet('k', async () => 'v1', { tags: ['t1', 't2'] });
    store.reads.length = 0;
    await b.getOrSet('k', async () => 'x', { tags: ['t1', 't2'] });
    await b.getOrSet('k', async () => 'x', { tags: ['t1', 't2'] });
    expect(store.reads[0].length).toBe(4); // the entry, the clear, two tags
    expect(store.reads[1]).toEqual(['k']);
    await a.invalidateTags(['t2']);
    await sleep(1);
    expect(await b.getOrSet('k', async () => 'v2', { tags: ['t1', 't2'] })).toBe('v2');
  });

  test('after a reconnect, tag times are read from the store again (messages may have been lost)', async () => {
    const { store, a, b, busB } = pair(false);
    await sleep(1);
    await a.getOrSet('k', async () => 'v1', { tags: ['t'] });
    await b.getOrSet('k', async () => 'x', { tags: ['t'] });
    // An invalidation B never hears of: written to the store only.
    await new Cache({ store }).invalidateTags(['t']);
    expect(await b.getOrSet('k', async () => 'missed', { tags: ['t'] })).toBe('v1');
    busB.reconnect();
    expect(await b.getOrSet('k', async () => 'v2', { tags: ['t'] })).toBe('v2');
  });
});

describe('times across processes', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  test("an entry another process created in the millisecond of this process's invalidation is dead here", async () => {
    const { store, a } = pair(false);
    // One frozen millisecond: every time handed out in it differs only by sub-millisecond ticks. A few
    // ms ahead of the real clock, so that the process's times go on increasing after the test.
    const ms = Date.now() + 5;
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(ms);
    expect(await a.getOrSet('k', async () => 'v1', { tags: ['t'] })).toBe('v1');
    const [key, text] = [...store.data].find(([k]) => !k.includes('__cachet'))!;
    await a.invalidateTags(['t']);
    // Another process started its load before that invalidation (it read the origin first) and writes
    // it now. Its clock counts sub-millisecond ticks of its own: its creation time can sort after ours.
    const other = { ...JSON.parse(text), v: 'from before the invalidation', c: ms + 0.5 };
    store.data.set(key, JSON.stringify(other));
    expect(await a.getOrSet('k', async () => 'v2', { tags: ['t'] })).toBe('v2');
  });
});
