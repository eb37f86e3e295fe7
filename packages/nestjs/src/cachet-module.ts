import type { DynamicModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { asyncOptionsProviders, cacheProviders } from './cache-providers.js';
import type {
  CachetFeatureAsyncOptions,
  CachetFeatureOptions,
  CachetModuleAsyncOptions,
  CachetRootOptions,
} from './module-options.js';
import { getCacheOptionsToken, getCacheToken } from './tokens.js';

/**
 * The Nest module of Cachet. `forRoot` (or `forRootAsync`) makes the app's `Cache`: injectable by
 * its class, and the cache that `@Cached`, `@Invalidate` and `@CachePut` from `@cachet/core` use on
 * any provider when they name none. `forFeature` adds named caches. On shutdown (`app.close()`, or a
 * signal with `enableShutdownHooks()`) every cache closes its store, bus and lock.
 *
 * @example
 * ```ts
 * import { Cache, Cached, Invalidate } from '@cachet/core';
 * import { CachetModule } from '@cachet/nestjs';
 * import { redisStore } from '@cachet/redis';
 *
 * @Injectable()
 * class UsersService {
 *   constructor(private readonly cache: Cache) {}
 *
 *   @Cached({ ttl: '1m', key: (id: number) => `user:${id}`, tags: (id: number) => [`user:${id}`] })
 *   async get(id: number) { return this.db.users.find(id); }
 *
 *   @Invalidate({ tags: (id: number) => [`user:${id}`] })
 *   async update(id: number, patch: Patch) { await this.db.users.update(id, patch); }
 * }
 *
 * @Module({
 *   imports: [
 *     CachetModule.forRootAsync({
 *       isGlobal: true,
 *       inject: [ConfigService],
 *       useFactory: (config: ConfigService) => ({
 *         store: redisStore(config.getOrThrow('REDIS_URL')),
 *         namespace: 'app',
 *         ttl: '5m',
 *       }),
 *     }),
 *   ],
 *   providers: [UsersService],
 * })
 * class AppModule {}
 * ```
 */
export class CachetModule {
  /**
   * The app's cache, from `Cache` options (default: in-memory only, 5 minute TTL).
   * `isGlobal` (default false) makes it injectable everywhere without importing this module.
   */
  static forRoot(options: CachetRootOptions = {}): DynamicModule {
    return {
      module: CachetModule,
      global: options.isGlobal ?? false,
      imports: [DiscoveryModule],
      providers: [{ provide: getCacheOptionsToken(), useValue: options }, ...cacheProviders(undefined)],
      exports: [getCacheToken(), getCacheOptionsToken()],
    };
  }

  /**
   * The app's cache, with options made by a factory (`useFactory` + `inject`), a class
   * (`useClass`) or an existing provider (`useExisting`), e.g. from `ConfigService`.
   */
  static forRootAsync(options: CachetModuleAsyncOptions): DynamicModule {
    return {
      module: CachetModule,
      global: options.isGlobal ?? false,
      imports: [DiscoveryModule, ...(options.imports ?? [])],
      providers: [
        ...asyncOptionsProviders(undefined, options, 'CachetModule.forRootAsync'),
        ...(options.extraProviders ?? []),
        ...cacheProviders(undefined),
      ],
      exports: [getCacheToken(), getCacheOptionsToken()],
    };
  }

  /**
   * A named cache with its own options (its own namespace, TTL, store…): injectable with
   * `@InjectCache(name)`, and used by decorators that say `cache: name`. It shares nothing with the
   * app's cache; give it its own store (e.g. another `redisStore(url)`), as a store closes with the
   * cache that owns it. Declare each name once, in one module that others import (or `isGlobal`).
   */
  static forFeature(options: CachetFeatureOptions): DynamicModule {
    const name = checkName(options?.name, 'CachetModule.forFeature');
    return {
      module: CachetModule,
      global: options.isGlobal ?? false,
      imports: [DiscoveryModule],
      providers: [{ provide: getCacheOptionsToken(name), useValue: options }, ...cacheProviders(name)],
      exports: [getCacheToken(name)],
    };
  }

  /** A named cache whose options come from a factory, a class or an existing provider. */
  static forFeatureAsync(options: CachetFeatureAsyncOptions): DynamicModule {
    const name = checkName(options?.name, 'CachetModule.forFeatureAsync');
    return {
      module: CachetModule,
      global: options.isGlobal ?? false,
      imports: [DiscoveryModule, ...(options.imports ?? [])],
      providers: [
        ...asyncOptionsProviders(name, options, 'CachetModule.forFeatureAsync'),
        ...(options.extraProviders ?? []),
        ...cacheProviders(name),
      ],
      exports: [getCacheToken(name)],
    };
  }
}

function checkName(name: unknown, method: string): string {
  if (typeof name !== 'string' || name === '') {
    throw new TypeError(`${method} needs a non-empty \`name\`, e.g. { name: 'reports', ttl: '1h' }`);
  }
  return name;
}
