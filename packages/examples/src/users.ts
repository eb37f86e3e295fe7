/**
 * The main example: a user service with `@Cached` and `@Invalidate` on the default in-memory cache.
 * Run it with `pnpm example` from the repository root.
 */
import { Cache, Cached, Invalidate, setDefaultCache } from '@cachet/core';

interface User {
  id: number;
  name: string;
}

/** A pretend database that takes 50 ms per query. */
const db = new Map<number, User>([
  [1, { id: 1, name: 'Ada Lovelace' }],
  [2, { id: 2, name: 'Grace Hopper' }],
]);
const slowQuery = <T>(value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), 50));

class UserService {
  @Cached({ ttl: '1m', key: (id: number) => `user:${id}`, tags: (id: number) => [`user:${id}`] })
  async getUser(id: number): Promise<User | null> {
    console.log(`  (database) SELECT user ${id}`);
    return slowQuery(db.get(id) ?? null);
  }

  @Invalidate({ tags: (id: number) => [`user:${id}`] })
  async renameUser(id: number, name: string): Promise<void> {
    const user = db.get(id);
    if (user) user.name = name;
  }
}

const cache = new Cache({ ttl: '5m' });
setDefaultCache(cache);
cache.on('hit', ({ key }) => console.log(`  hit   ${key}`));
cache.on('miss', ({ key }) => console.log(`  miss  ${key}`));

const users = new UserService();
const timed = async (label: string, run: () => Promise<unknown>) => {
  const started = performance.now();
  const result = await run();
  console.log(`${label} -> ${JSON.stringify(result)} in ${(performance.now() - started).toFixed(1)} ms\n`);
};

await timed('getUser(1), first call', () => users.getUser(1));
await timed('getUser(1), again', () => users.getUser(1));
await timed('10 concurrent getUser(2), one query', async () => {
  const all = await Promise.all(Array.from({ length: 10 }, () => users.getUser(2)));
  return `${all.length} x ${all[0]?.name}`;
});
await timed('renameUser(1)', () => users.renameUser(1, 'Ada King'));
await timed('getUser(1) after the rename', () => users.getUser(1));
await timed('getUser(3), a cached null', () => users.getUser(3));
await timed('getUser(3), again', () => users.getUser(3));

const { hits, misses, loads } = cache.stats();
console.log(`stats: ${hits} hits, ${misses} misses, ${loads} database queries`);
