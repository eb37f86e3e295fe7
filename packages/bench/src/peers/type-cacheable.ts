/**
 * @type-cacheable/core `@Cacheable`, over its lru-cache adapter in memory and its ioredis adapter on
 * Redis. It has no two-tier mode (its `fallbackClient` is used only when the client fails).
 *
 * It is a legacy (`experimentalDecorators`) decorator, `(target, key, descriptor) => descriptor`, and
 * this package runs under tsx, whose esbuild compiles standard decorators. So it is applied exactly as
 * TypeScript's emitted `__decorate` applies it: called with the prototype, the name and the method's
 * descriptor, and the descriptor it returns defined on the prototype. The method called at run time is
 * the same function a legacy build would produce.
 *
 * Its default strategy (which holds the map of calls in flight) is one object shared by the whole process;
 * each instance built here gets its own, as each process would, so that instances act as processes.
 */
import { Cacheable, type CacheClient, DefaultStrategy } from '@type-cacheable/core';
import { IoRedisAdapter } from '@type-cacheable/ioredis-adapter';
import { LRUCacheAdapter } from '@type-cacheable/lru-cache-adapter';
import { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { type User, userKey } from '../fixtures.js';
import { type Cached, type Layout, redisOf, type Variant } from './types.js';

/** What TypeScript emits for `@decorator` on a method under `experimentalDecorators`. */
function legacyDecorate(
  decorator: (target: object, key: string, descriptor: PropertyDescriptor) => PropertyDescriptor | undefined,
  prototype: object,
  key: string,
): void {
  const descriptor = Object.getOwnPropertyDescriptor(prototype, key)!;
  Object.defineProperty(prototype, key, decorator(prototype, key, descriptor) ?? descriptor);
}

function variant(layout: Exclude<Layout, 'two-tier'>): Variant {
  return {
    name: '@type-cacheable @Cacheable',
    library: '@type-cacheable/core',
    layout,
    create(config): Cached {
      let client: CacheClient;
      let close = async () => {};
      if (layout === 'memory') {
        client = new LRUCacheAdapter(new LRUCache<string, any>({ max: config.capacity }));
      } else {
        const { host, port } = redisOf(config);
        const redis = new Redis({ host, port, keyPrefix: config.prefix });
        client = new IoRedisAdapter(redis);
        close = async () => {
          redis.disconnect();
        };
      }
      class Users {
        async get(id: number): Promise<User> {
          return config.load(id);
        }
      }
      const ttlSeconds = config.ttl / 1000;
      legacyDecorate(
        Cacheable({
          client,
          ttlSeconds,
          cacheKey: (args: any[]) => userKey(args[0]),
          strategy: new DefaultStrategy(),
        }),
        Users.prototype,
        'get',
      );
      const users = new Users();
      return { get: (id) => users.get(id), close };
    },
  };
}

/** Every @type-cacheable variant, by layout. */
export const typeCacheable: Variant[] = [variant('memory'), variant('l2')];
