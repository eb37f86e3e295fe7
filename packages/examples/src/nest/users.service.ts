import { Cache, Cached, Invalidate } from '@cachet/core';
import { Injectable, Logger } from '@nestjs/common';

export interface User {
  id: number;
  name: string;
}

/** A pretend database: 50 ms per query, and it says when it is asked. */
@Injectable()
export class UsersRepository {
  readonly #logger = new Logger('UsersRepository');
  readonly #rows = new Map<number, User>([
    [1, { id: 1, name: 'Ada Lovelace' }],
    [2, { id: 2, name: 'Grace Hopper' }],
  ]);

  async find(id: number): Promise<User | null> {
    this.#logger.log(`SELECT user ${id}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    return this.#rows.get(id) ?? null;
  }

  async rename(id: number, name: string): Promise<User | null> {
    const user = this.#rows.get(id);
    if (user) user.name = name;
    return user ?? null;
  }
}

/**
 * Method-level caching on a plain Nest service: `@Cached` and `@Invalidate` from `@cachet/core`
 * use the `Cache` that `CachetModule` made, with no `cache` option.
 */
@Injectable()
export class UsersService {
  constructor(
    private readonly repository: UsersRepository,
    private readonly cache: Cache,
  ) {}

  @Cached({ ttl: '1m', key: (id: number) => `user:${id}`, tags: (id: number) => [`user:${id}`] })
  async get(id: number): Promise<User | null> {
    return this.repository.find(id);
  }

  @Invalidate({ tags: (id: number) => [`user:${id}`, 'users'] })
  async rename(id: number, name: string): Promise<User | null> {
    return this.repository.rename(id, name);
  }

  /** The cache's counters: the injected `Cache` is the one the decorators use. */
  stats() {
    return this.cache.stats();
  }
}
