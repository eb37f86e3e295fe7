/**
 * A decorated method's Memcached hit (`Cache` with `memory: false` over `memcacheStore`) against a bare
 * memjs `get` + `JSON.parse` of the same value, in the same run, over loopback to a memcached this
 * script starts and stops on a free port; and the same hit with the store used through a `Keyv`, as
 * `@cachet/memcache` 0.1.0 did. No target of its own; measured like `src/redis.ts` (paired blocks).
 * Run: `pnpm --filter bench exec tsx src/memcache.ts [--quick]` (needs `memcached` on PATH).
 */
import { Cache, Cached } from '@cachet/core';
import { memcacheStore } from '@cachet/memcache';
import Keyv from 'keyv';
import { KEYS, type User, userKey, users, warmHits } from './fixtures.js';
import { type Contender, runPaired } from './harness.js';
import { startMemcached } from './memcached-server.js';

/** A service whose `get` is cached in `cache`, L2 only. */
function usersOver(cache: Cache) {
  class Users {
    @Cached({ cache, key: userKey })
    async get(id: number): Promise<User> {
      return users[id];
    }
  }
  return new Users();
}

export async function main(): Promise<void> {
  const server = await startMemcached();
  const servers = `${server.host}:${server.port}`;
  // memjs itself, as the store holds it: the floor.
  const bareStore = memcacheStore(servers);
  const bare = bareStore.client;
  const cache = new Cache({ store: memcacheStore(servers), memory: false, ttl: '1h', namespace: 'direct' });
  const throughKeyv = new Cache({
    store: new Keyv({ store: memcacheStore(servers), namespace: undefined }),
    memory: false,
    ttl: '1h',
    namespace: 'keyv',
  });
  const service = usersOver(cache);
  const keyvService = usersOver(throughKeyv);
  try {
    for (const user of users) await bare.set(`bare:user:${user.id}`, JSON.stringify(user), {});
    const contenders: Contender[] = [
      {
        name: 'bare memjs get + JSON.parse',
        run: async (i) => JSON.parse(String((await bare.get(`bare:user:${i % KEYS}`)).value)),
      },
      warmHits('Cachet @Cached Memcached hit', service),
      warmHits('Cachet @Cached Memcached hit, store through Keyv (0.1.0)', keyvService),
    ];
    const rows = await runPaired('Memcached hit vs bare get', contenders, {
      batch: 100,
      blocks: 300,
      warmup: 2000,
      baseline: 'bare memjs get + JSON.parse',
    });
    for (const row of rows.filter((r) => r.name.startsWith('Cachet'))) {
      console.log(`\n${row.name} / bare memjs get + JSON.parse: ${row.ratio.toFixed(3)}x`);
    }
    for (const used of [cache, throughKeyv]) {
      const stats = used.stats();
      if (stats.errors > 0 || stats.storeHits === 0) throw new Error('a cache did not serve from Memcached');
    }
  } finally {
    await Promise.all([cache.disconnect(), throughKeyv.disconnect(), bareStore.disconnect()]);
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
