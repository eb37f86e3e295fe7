/**
 * Compiled twice by the test runner: once with TC39 standard decorators (project `unit`) and once with
 * `experimentalDecorators` (project `legacy`). The same fixtures must behave the same in both.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { Cache } from '../cache.js';
import { keyOf } from '../keys.js';
import { deferred } from '../test-support/keyvs.js';
import { CachePut } from './cache-put.js';
import { Cached } from './cached.js';
import { bindCache, peekDefaultCache, setDefaultCache } from './default-cache.js';
import { Invalidate } from './invalidate.js';

interface User {
  id: number;
  name: string;
}

class Users {
  readonly db = new Map<number, User>([
    [1, { id: 1, name: 'Ada' }],
    [2, { id: 2, name: 'Grace' }],
  ]);
  loads = 0;

  @Cached({ ttl: '1m', key: (id: number) => `user:${id}`, tags: (id: number) => [`user:${id}`] })
  async get(id: number): Promise<User | null> {
    this.loads++;
    return this.db.get(id) ?? null;
  }

  @Cached()
  async search(query: { name?: string; limit?: number }, page = 1): Promise<string[]> {
    this.loads++;
    return [...this.db.values()]
      .filter((u) => !query.name || u.name.includes(query.name))
      .map((u) => `${u.name}@${page}`);
  }

  @Invalidate({ tags: (id: number) => [`user:${id}`] })
  async rename(id: number, name: string): Promise<void> {
    const user = this.db.get(id);
    if (!user) throw new Error(`no user ${id}`);
    user.name = name;
  }

  @Invalidate({ keys: (id: number) => `user:${id}`, when: 'before' })
  async touch(_id: number): Promise<string> {
    return 'touched';
  }

  @Invalidate({ all: true })
  async reset(): Promise<void> {}

  @CachePut({ key: (id: number) => `user:${id}`, tags: (id: number) => [`user:${id}`] })
  async reload(id: number): Promise<User | null> {
    return { ...this.db.get(id)!, name: `${this.db.get(id)!.name} (reloaded)` };
  }

  @Cached({ condition: (id: number) => id > 0, unless: (result: User | null) => result === null })
  async find(id: number): Promise<User | null> {
    this.loads++;
    return this.db.get(id) ?? null;
  }

  @Cached({ namespace: 'slow' })
  async slow(gate: Promise<string>, _k: string): Promise<string> {
    this.loads++;
    return gate;
  }

  @Cached()
  static async version(): Promise<string> {
    Users.versionLoads++;
    return '1.0';
  }
  static versionLoads = 0;
}

class Sync {
  // Typed as async but returning a plain value, as untyped JavaScript can: the run-time check catches it.
  @Cached()
  notAsync(): Promise<number> {
    return 42 as unknown as Promise<number>;
  }
}

let cache: Cache;
beforeEach(() => {
  cache = new Cache();
  setDefaultCache(cache);
});
afterEach(() => setDefaultCache(undefined));

describe('@Cached', () => {
  test('caches per key, and `this` is the instance', async () => {
    const users = new Users();
    expect(await users.get(1)).toEqual({ id: 1, name: 'Ada' });
    expect(await users.get(1)).toEqual({ id: 1, name: 'Ada' });
    expect(await users.get(2)).toEqual({ id: 2, name: 'Grace' });
    expect(users.loads).toBe(2);
    expect(await cache.get('user:1')).toEqual({ id: 1, name: 'Ada' });
  });

  test('a cached null is a hit', async () => {
    const users = new Users();
    expect(await users.get(99)).toBeNull();
    expect(await users.get(99)).toBeNull();
    expect(users.loads).toBe(1);
  });

  test('default keys: namespace ClassName.method and the encoded arguments; equal objects meet', async () => {
    const users = new Users();
    await users.search({ name: 'a', limit: 5 });
    await users.search({ limit: 5, name: 'a' });
    expect(users.loads).toBe(1);
    await users.search({ name: 'a', limit: 5 }, 2);
    expect(users.loads).toBe(2);
    // The class's own name: transpilers may rename it (esbuild gives `_Users` here), so read it back.
    expect(await cache.get(keyOf(`${Users.name}.search`, [{ name: 'a', limit: 5 }]))).toEqual([
      'Ada@1',
      'Grace@1',
    ]);
  });

  test('every entry carries its namespace as a tag', async () => {
    const users = new Users();
    await users.search({});
    await users.get(1);
    await cache.invalidateTags([`${Users.name}.search`]);
    await users.search({});
    await users.get(1);
    expect(users.loads).toBe(3);
  });

  test('concurrent calls run the method once', async () => {
    const users = new Users();
    const gate = deferred<string>();
    const calls = Array.from({ length: 100 }, () => users.slow(gate.promise, 'k'));
    gate.resolve('done');
    expect(new Set(await Promise.all(calls))).toEqual(new Set(['done']));
    expect(users.loads).toBe(1);
  });

  test('condition skips the cache; unless keeps a result out of it', async () => {
    const users = new Users();
    await users.find(0);
    await users.find(0);
    expect(users.loads).toBe(2);
    await users.find(99);
    await users.find(99);
    expect(users.loads).toBe(4);
    await users.find(1);
    await users.find(1);
    expect(users.loads).toBe(5);
  });

  test('arguments that cannot make a key reject the call, asking for a key function', async () => {
    const users = new Users();
    await expect(users.search({ name: (() => 'x') as never })).rejects.toThrow(
      /give the decorator a `key` function/,
    );
  });

  test('static methods are cached too', async () => {
    Users.versionLoads = 0;
    expect(await Users.version()).toBe('1.0');
    expect(await Users.version()).toBe('1.0');
    expect(Users.versionLoads).toBe(1);
  });

  test('a method that does not return a Promise gets a clear error', async () => {
    await expect(new Sync().notAsync()).rejects.toThrow(
      /@Cached on Sync\.notAsync: .* not a Promise; make it async/,
    );
  });

  test('the cache option picks a cache per instance', async () => {
    const mine = new Cache();
    class Scoped {
      constructor(readonly cache: Cache) {}
      @Cached({ cache: (self: Scoped) => self.cache, key: () => 'k' })
      async value(): Promise<number> {
        return 7;
      }
    }
    await new Scoped(mine).value();
    expect(await mine.get('k')).toBe(7);
    expect(await cache.get('k')).toBeUndefined();
  });

  test('the cache option names a registered cache', async () => {
    const reports = new Cache();
    setDefaultCache(reports, 'reports');
    class Named {
      @Cached({ cache: 'reports', key: () => 'r' })
      async value(): Promise<number> {
        return 9;
      }
      @Cached({ cache: 'missing', key: () => 'm' })
      async lost(): Promise<number> {
        return 0;
      }
    }
    expect(await new Named().value()).toBe(9);
    expect(await reports.get('r')).toBe(9);
    await expect(new Named().lost()).rejects.toThrow(/no cache is registered as "missing"/);
    expect(peekDefaultCache('reports')).toBe(reports);
    expect(peekDefaultCache('missing')).toBeUndefined();
    setDefaultCache(undefined, 'reports');
  });

  test('an instance bound to a cache uses it, the others the registry; @Invalidate and @CachePut too', async () => {
    const appA = new Cache();
    const bound = new Users();
    const other = new Users();
    bindCache(bound, appA);
    await bound.get(1);
    await other.get(2);
    expect(await appA.get('user:1')).toEqual({ id: 1, name: 'Ada' });
    expect(await appA.get('user:2')).toBeUndefined();
    expect(await cache.get('user:2')).toEqual({ id: 2, name: 'Grace' });
    expect(await cache.get('user:1')).toBeUndefined();
    await bound.reload(2);
    expect((await appA.get<User>('user:2'))?.name).toBe('Grace (reloaded)');
    await bound.rename(1, 'Ada L.');
    expect(await bound.get(1)).toEqual({ id: 1, name: 'Ada L.' });
    expect(bound.loads).toBe(2);
    // Unbound, it is back on the registry's cache.
    bindCache(bound, undefined);
    await bound.get(1);
    expect(bound.loads).toBe(3);
    expect(await cache.get('user:1')).toEqual({ id: 1, name: 'Ada L.' });
  });

  test("a binding under a name stands in for the registry's cache of that name; a Cache option wins", async () => {
    const reports = new Cache();
    const mine = new Cache();
    const explicit = new Cache();
    setDefaultCache(reports, 'reports');
    class Named {
      @Cached({ cache: 'reports', key: () => 'r' })
      async value(): Promise<number> {
        return 9;
      }
      @Cached({ cache: explicit, key: () => 'e' })
      async fixed(): Promise<number> {
        return 1;
      }
    }
    const named = new Named();
    bindCache(named, mine, 'reports');
    bindCache(named, mine);
    await named.value();
    await named.fixed();
    expect(await mine.get('r')).toBe(9);
    expect(await reports.get('r')).toBeUndefined();
    expect(await explicit.get('e')).toBe(1);
    expect(await mine.get('e')).toBeUndefined();
    setDefaultCache(undefined, 'reports');
  });

  test('bindCache refuses what is not an instance or a Cache, naming the argument', () => {
    expect(() => bindCache(null as unknown as object, cache)).toThrow(/bindCache: instance must be/);
    expect(() => bindCache(new Users(), {} as Cache)).toThrow(/bindCache: cache must be a Cache/);
  });
});

describe('@Invalidate', () => {
  test('invalidates tags after the method succeeds', async () => {
    const users = new Users();
    await users.get(1);
    await users.rename(1, 'Ada L.');
    expect(await users.get(1)).toEqual({ id: 1, name: 'Ada L.' });
    expect(users.loads).toBe(2);
  });

  test('does not invalidate when the method throws', async () => {
    const users = new Users();
    await users.get(1);
    await expect(users.rename(42, 'x')).rejects.toThrow('no user 42');
    await users.get(1);
    expect(users.loads).toBe(1);
  });

  test("keys, with when: 'before'", async () => {
    const users = new Users();
    await users.get(2);
    expect(await users.touch(2)).toBe('touched');
    await users.get(2);
    expect(users.loads).toBe(2);
  });

  test('all: true drops every entry of the class', async () => {
    const users = new Users();
    await users.get(1);
    await users.search({});
    await users.reset();
    await users.get(1);
    await users.search({});
    expect(users.loads).toBe(4);
  });

  test('all: true also drops the entries of methods with a namespace of their own', async () => {
    const users = new Users();
    await users.slow(Promise.resolve('a'), 'k');
    await users.slow(Promise.resolve('b'), 'k');
    expect(users.loads).toBe(1);
    await users.reset();
    expect(await users.slow(Promise.resolve('c'), 'k')).toBe('c');
    expect(users.loads).toBe(2);
  });

  test('needs something to invalidate', () => {
    expect(() => Invalidate({} as never)).toThrow(/needs `keys`, `tags` or `all`/);
  });
});

describe('@CachePut', () => {
  test('always runs and stores its result where @Cached reads', async () => {
    const users = new Users();
    await users.get(1);
    expect(await users.reload(1)).toEqual({ id: 1, name: 'Ada (reloaded)' });
    expect(await users.get(1)).toEqual({ id: 1, name: 'Ada (reloaded)' });
    expect(users.loads).toBe(1);
  });
});

describe('bad options', () => {
  test('a key that is not a function is refused at decoration, naming the option', () => {
    expect(() => Cached({ key: 'user' as never })).toThrow(/option `key` must be a function/);
  });
});
