/**
 * Type tests, checked by `tsc` under both tsconfig modes (`pnpm typecheck`): every `@ts-expect-error`
 * below must be an error, or the check fails.
 */
import { Cache } from '../cache.js';
import { CachePut } from './cache-put.js';
import { Cached } from './cached.js';
import { Invalidate } from './invalidate.js';

interface User {
  id: number;
}

export class Fine {
  @Cached({ ttl: '1m', key: (id: number) => `user:${id}`, tags: (id: number) => [`user:${id}`] })
  async get(id: number): Promise<User> {
    return { id };
  }

  // A key function may use fewer parameters than the method has.
  @Cached({ key: (id: number) => `user:${id}` })
  async withOptions(id: number, _verbose: boolean): Promise<User> {
    return { id };
  }

  @Cached({ unless: (user: User | null) => user === null, condition: (id: number) => id > 0 })
  async maybe(id: number): Promise<User | null> {
    return { id };
  }

  @Invalidate({ tags: (id: number) => [`user:${id}`], keys: (id: number) => `user:${id}` })
  async update(_id: number, _patch: Partial<User>): Promise<void> {}

  @CachePut({ key: (id: number) => `user:${id}` })
  async reload(id: number): Promise<User> {
    return { id };
  }

  @Cached({ cache: new Cache(), ttl: 5_000 })
  async noArgs(): Promise<number> {
    return 1;
  }
}

export class Wrong {
  // @ts-expect-error the key function takes a string, the method a number
  @Cached({ key: (id: string) => `user:${id}` })
  async get(id: number): Promise<User> {
    return { id };
  }

  // @ts-expect-error tags take the wrong parameter type
  @Cached({ tags: (id: string) => [id] })
  async tagged(id: number): Promise<User> {
    return { id };
  }

  // @ts-expect-error unless gets the result first, and it is a User, not a string
  @Cached({ unless: (result: string) => result === '' })
  async unless(id: number): Promise<User> {
    return { id };
  }

  // @ts-expect-error @Cached needs an async method
  @Cached()
  sync(id: number): User {
    return { id };
  }

  // @ts-expect-error invalidation keys from the wrong parameter type
  @Invalidate({ keys: (id: string) => id })
  async update(_id: number): Promise<void> {}
}

// @ts-expect-error a TTL string must carry a unit
Cached({ ttl: '5 minutes' });

// @ts-expect-error the key must return a string
Cached({ key: (id: number) => id });

export class Misspelt {
  // @ts-expect-error `tll` is not an option, even next to valid ones
  @Cached({ tll: '1m', tags: ['users'] })
  async get(id: number): Promise<User> {
    return { id };
  }

  // @ts-expect-error `tll` is not an option of @CachePut
  @CachePut({ key: (id: number) => `user:${id}`, tll: 5_000 })
  async reload(id: number): Promise<User> {
    return { id };
  }

  // @ts-expect-error @Invalidate writes no entry: it takes no `namespace`
  @Invalidate({ namespace: 'users', all: true })
  async clear(): Promise<void> {}

  // @ts-expect-error `tag` is not an option of @Invalidate (`tags` is)
  @Invalidate({ tag: 'users', all: true })
  async clearTag(): Promise<void> {}
}

// Options kept in a variable are checked too.
const shared = { ttl: '1m', cacheErrors: false } as const;
export class SharedOptions {
  @Cached(shared)
  async get(id: number): Promise<User> {
    return { id };
  }
}
