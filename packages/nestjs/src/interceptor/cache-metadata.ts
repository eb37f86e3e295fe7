import type { Duration } from '@cachet/core';
import { type CustomDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';

/** Reflect-metadata key of {@link CacheKey}. */
export const CACHET_KEY_METADATA = 'cachet:key';
/** Reflect-metadata key of {@link CacheTTL}. */
export const CACHET_TTL_METADATA = 'cachet:ttl';
/** Reflect-metadata key of {@link CacheTags}. */
export const CACHET_TAGS_METADATA = 'cachet:tags';

/** A value, or a function of the request's `ExecutionContext` giving it. */
export type FromContext<T> = T | ((context: ExecutionContext) => T);

/**
 * The key `CachetInterceptor` caches this route's response under, instead of the request URL
 * (path and query). `false` turns caching off for the route (or a whole controller).
 * @example
 * ```ts
 * @Get('top') @CacheKey('products:top') top() { ... }
 * @Get(':id') @CacheKey((ctx) => `product:${ctx.switchToHttp().getRequest().params.id}`) one() { ... }
 * ```
 */
export function CacheKey(key: FromContext<string> | false): CustomDecorator<string> {
  return SetMetadata(CACHET_KEY_METADATA, key);
}

/**
 * How long `CachetInterceptor` keeps this route's response: ms or `'5m'`, or a function of the
 * context. Default: the cache's TTL. On a controller, it applies to each of its routes.
 */
export function CacheTTL(ttl: FromContext<Duration>): CustomDecorator<string> {
  return SetMetadata(CACHET_TTL_METADATA, ttl);
}

/**
 * Tags of this route's cached response, so that `cache.invalidateTags` or `@Invalidate({ tags })`
 * on a service drops it. Default: none.
 * @example
 * ```ts
 * @Get(':id') @CacheTags((ctx) => [`product:${ctx.switchToHttp().getRequest().params.id}`]) one() { ... }
 * ```
 */
export function CacheTags(tags: FromContext<readonly string[]>): CustomDecorator<string> {
  return SetMetadata(CACHET_TAGS_METADATA, tags);
}
