/**
 * A decorated method's Redis hit (`Cache` with `memory: false` over `redisStore`) against a bare
 * `@redis/client` GET of the same value, in the same run, over loopback to a redis-server this script
 * starts and stops on a free port. Target: the decorated hit within 1.15x of the bare GET + JSON.parse.
 * Run: `pnpm --filter bench exec tsx src/redis.ts [--quick]` (needs `redis-server` on PATH).
 */
import { Cache, Cached } from '@cachet/core';
import { RedisBus, redisStore } from '@cachet/redis';
import { createClient } from '@redis/client';
import { KEYS, users } from './fixtures.js';
import { type Contender, runPaired } from './harness.js';
import { startRedis } from './redis-server.js';

export async function main(): Promise<void> {
  const server = await startRedis();
  const url = server.url;
  const bare = createClient({ url });
  await bare.connect();
  const cache = new Cache({ store: redisStore(url), memory: false, ttl: '1h' });
  class Users {
    @Cached({ cache, key: (id: number) => `user:${id}` })
    async get(id: number) {
      return users[id];
    }
  }
  const service = new Users();
  // Without Redis's client tracking (the default before it; a server older than 6, or a proxy): every
  // hit reads the clear's and the tags' times with the entry, in one MGET. Its own namespace: entries
  // written by the other classes carry their class's tag, which it would read in a second MGET.
  const untracked = new Cache({
    store: redisStore({ url, tracking: false }),
    memory: false,
    ttl: '1h',
    namespace: 'untracked',
  });
  class UntrackedUsers {
    @Cached({ cache: untracked, key: (id: number) => `user:${id}` })
    async get(id: number) {
      return users[id];
    }
  }
  const untrackedService = new UntrackedUsers();
  // The multi-process layout without L1: with a bus, tag times are read once and then kept by it.
  const bused = new Cache({ store: redisStore(url), memory: false, ttl: '1h', bus: new RedisBus({ url }) });
  class BusedUsers {
    @Cached({ cache: bused, key: (id: number) => `user:${id}` })
    async get(id: number) {
      return users[id];
    }
  }
  const busedService = new BusedUsers();
  try {
    for (const user of users) await bare.set(`bare:user:${user.id}`, JSON.stringify(user));
    const contenders: Contender[] = [
      { name: 'bare GET', run: (i) => bare.get(`bare:user:${i % KEYS}`) },
      {
        name: 'bare GET + JSON.parse',
        run: async (i) => JSON.parse((await bare.get(`bare:user:${i % KEYS}`)) as string),
      },
      {
        name: 'Cachet @Cached Redis hit',
        run: (i) => service.get(i % KEYS),
        setup: async () => {
          for (let i = 0; i < KEYS; i++) await service.get(i);
        },
      },
      {
        name: 'Cachet @Cached Redis hit, tracking: false',
        run: (i) => untrackedService.get(i % KEYS),
        setup: async () => {
          for (let i = 0; i < KEYS; i++) await untrackedService.get(i);
        },
      },
      {
        name: 'Cachet @Cached Redis hit, with RedisBus',
        run: (i) => busedService.get(i % KEYS),
        setup: async () => {
          await new Promise((resolve) => setTimeout(resolve, 50));
          for (let i = 0; i < KEYS; i++) await busedService.get(i);
        },
      },
    ];
    // Paired blocks, not one-second rounds: the loopback round trip drifts more between seconds than
    // the contenders differ (see runPaired).
    const rows = await runPaired('Redis hit vs bare GET', contenders, {
      batch: 100,
      blocks: 400,
      warmup: 2000,
      baseline: 'bare GET + JSON.parse',
    });
    const stats = cache.stats();
    for (const row of rows.filter(
      (r) => r.name.startsWith('Cachet') && !r.name.includes('tracking: false'),
    )) {
      console.log(`\n${row.name} / bare GET + JSON.parse: ${row.ratio.toFixed(3)}x (target <= 1.15x)`);
    }
    console.log(`store hits ${stats.storeHits}, misses ${stats.misses}, errors ${stats.errors}`);
    if (stats.errors > 0 || stats.storeHits === 0) throw new Error('the cache did not serve from Redis');
  } finally {
    await bused.disconnect();
    await untracked.disconnect();
    await cache.disconnect();
    await bare.quit();
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
