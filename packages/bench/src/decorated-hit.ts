/**
 * A decorated method's memory hit against `await map.get(key)` with the same key building, and against
 * lru-cache's `fetch()` hit, in the same run. Run: `pnpm --filter bench exec tsx src/decorated-hit.ts`.
 */
import { Cache, Cached, keyOf } from '@cachet/core';
import { LRUCache } from 'lru-cache';
import { type Contender, runSuite } from './harness.js';

const KEYS = 1000;
interface User {
  id: number;
  name: string;
}
const users = Array.from({ length: KEYS }, (_, id): User => ({ id, name: `user ${id}` }));

const map = new Map<string, User>();
for (const user of users) map.set(`user:${user.id}`, user);
async function fromMap(id: number): Promise<User | undefined> {
  return map.get(`user:${id}`);
}

const defaultKeyed = new Map<string, User>();
for (const user of users) defaultKeyed.set(keyOf('Service.byDefaultKey', [user.id]), user);
async function fromMapDefaultKey(id: number): Promise<User | undefined> {
  return defaultKeyed.get(keyOf('Service.byDefaultKey', [id]));
}

const lru = new LRUCache<string, User>({
  max: 10_000,
  fetchMethod: async (key) => users[Number(key.slice(5))],
});

const cache = new Cache({ ttl: '10m' });
class Service {
  @Cached({ cache, key: (id: number) => `user:${id}` })
  async get(id: number): Promise<User> {
    return users[id];
  }

  @Cached({ cache })
  async byDefaultKey(id: number): Promise<User> {
    return users[id];
  }
}
const service = new Service();

export const contenders: Contender[] = [
  { name: 'await map.get("user:" + id)', run: (i) => fromMap(i % KEYS) },
  { name: 'await map.get(keyOf(ns, [id]))', run: (i) => fromMapDefaultKey(i % KEYS) },
  { name: 'lru-cache fetch()', run: (i) => lru.fetch(`user:${i % KEYS}`) },
  {
    name: 'Cachet @Cached (key fn)',
    run: (i) => service.get(i % KEYS),
    setup: async () => {
      for (let i = 0; i < KEYS; i++) await service.get(i);
    },
  },
  {
    name: 'Cachet @Cached (default key)',
    run: (i) => service.byDefaultKey(i % KEYS),
    setup: async () => {
      for (let i = 0; i < KEYS; i++) await service.byDefaultKey(i);
    },
  },
  {
    name: 'Cachet cache.getOrSet',
    run: (i) => cache.getOrSet(`user:${i % KEYS}`, async () => users[i % KEYS]),
  },
];

export async function main(): Promise<void> {
  for (let i = 0; i < KEYS; i++) await lru.fetch(`user:${i}`);
  await runSuite('Decorated memory hit', contenders, {
    batch: 1000,
    rounds: 5,
    time: 500,
    baseline: 'await map.get("user:" + id)',
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
