import { Cache, type Duration } from '@cachet/core';
import {
  type CallHandler,
  type ExecutionContext,
  Inject,
  Injectable,
  type NestInterceptor,
  Optional,
  StreamableFile,
} from '@nestjs/common';
import { HttpAdapterHost, Reflector } from '@nestjs/core';
import { from, lastValueFrom, type Observable } from 'rxjs';
import {
  CACHET_KEY_METADATA,
  CACHET_TAGS_METADATA,
  CACHET_TTL_METADATA,
  type FromContext,
} from './cache-metadata.js';

/**
 * Caches the responses of GET routes in the module's `Cache`, like `@nestjs/cache-manager`'s
 * `CacheInterceptor`, with what Cachet adds: concurrent identical requests run the handler once
 * (single-flight), responses can carry tags, and thrown errors are never cached.
 *
 * The key is the request URL (path and query) unless the route says `@CacheKey(...)`; the TTL is
 * the cache's unless it says `@CacheTTL(...)`; tags come from `@CacheTags(...)`. Only what the
 * handler returns is cached (not headers nor the status code); handlers that write to `@Res()`
 * themselves, and `StreamableFile` results, are passed through uncached. Override `trackBy` to
 * choose which requests are cached and under which key (e.g. per user).
 *
 * @example
 * ```ts
 * @Controller('products')
 * @UseInterceptors(CachetInterceptor)
 * class ProductsController {
 *   @Get() @CacheTTL('30s') @CacheTags(['products']) list() { return this.products.list(); }
 * }
 * // or for every route: providers: [{ provide: APP_INTERCEPTOR, useClass: CachetInterceptor }]
 * ```
 */
@Injectable()
export class CachetInterceptor implements NestInterceptor {
  constructor(
    @Inject(Cache) protected readonly cache: Cache,
    @Inject(Reflector) protected readonly reflector: Reflector,
    @Optional() @Inject(HttpAdapterHost) protected readonly adapterHost?: HttpAdapterHost,
  ) {}

  /**
   * Answers a tracked request from the cache, or runs the handler once for all concurrent identical
   * requests and caches its result. Errors are never cached (even with the cache's `cacheErrors`):
   * a cached failure would lose its HTTP status.
   */
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const key = this.trackBy(context);
    if (key === undefined) return next.handle();
    const targets: [Function, Function] = [context.getHandler(), context.getClass()];
    const ttl = this.#read<Duration>(CACHET_TTL_METADATA, targets, context);
    const tags = this.#read<readonly string[]>(CACHET_TAGS_METADATA, targets, context);
    const load = async () => {
      const value = await lastValueFrom(next.handle(), { defaultValue: undefined });
      if (!this.isCacheable(value)) throw new Uncacheable(value);
      return value;
    };
    return from(
      this.cache.getOrSet(key, load, { ttl, tags, cacheErrors: false }).catch((error: unknown) => {
        if (error instanceof Uncacheable) return error.value;
        throw error;
      }),
    );
  }

  /**
   * The key of this request's response, or `undefined` to leave it uncached. Default: HTTP GET
   * requests only, the `@CacheKey` of the route, else `'http:' +` the request URL.
   */
  protected trackBy(context: ExecutionContext): string | undefined {
    if (context.getType() !== 'http') return undefined;
    const request = context.switchToHttp().getRequest();
    const adapter = this.adapterHost?.httpAdapter;
    const method = adapter ? adapter.getRequestMethod(request) : request?.method;
    if (method !== 'GET') return undefined;
    const key = this.reflector.getAllAndOverride<FromContext<string> | false | undefined>(
      CACHET_KEY_METADATA,
      [context.getHandler(), context.getClass()],
    );
    if (key === false) return undefined;
    if (key !== undefined) return typeof key === 'function' ? key(context) : key;
    const url: string | undefined = adapter
      ? adapter.getRequestUrl(request)
      : (request?.originalUrl ?? request?.url);
    return url === undefined ? undefined : `http:${url}`;
  }

  /** Whether a handler's result may be cached. Default: anything but a `StreamableFile`. */
  protected isCacheable(value: unknown): boolean {
    return !(value instanceof StreamableFile);
  }

  #read<T>(metadataKey: string, targets: [Function, Function], context: ExecutionContext): T | undefined {
    const value = this.reflector.getAllAndOverride<FromContext<T> | undefined>(metadataKey, targets);
    return typeof value === 'function' ? (value as (context: ExecutionContext) => T)(context) : value;
  }
}

/** Carries a result that must not be cached out of the loader (errors are never cached). */
class Uncacheable {
  constructor(readonly value: unknown) {}
}
