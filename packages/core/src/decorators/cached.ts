import type { Cache } from '../cache.js';
import type { Policy } from '../cache-options.js';
import { keyOf } from '../keys.js';
import { type MethodSite, methodDecorator } from './decorate.js';
import { resolveCache } from './default-cache.js';
import type { AsyncMethodDecorator, CachedOptions, KnownOptions } from './options.js';

/**
 * Caches what an async method resolves to. Concurrent calls with the same key run the method once;
 * `null` and `undefined` results are cached, thrown errors are not. Every entry carries the method's
 * namespace (and, with the default namespace, the class name) as tags.
 *
 * @example
 * ```ts
 * class Users {
 *   @Cached({ ttl: '1m', key: (id: number) => `user:${id}`, tags: (id: number) => [`user:${id}`] })
 *   async get(id: number) { return db.users.find(id); }
 * }
 * ```
 */
export function Cached<const O extends CachedOptions = {}>(
  options: KnownOptions<O, CachedOptions> = {} as KnownOptions<O, CachedOptions>,
): AsyncMethodDecorator<O> {
  checkDecoratorOptions('Cached', options);
  return methodDecorator('Cached', (original, site) => {
    const call = mustBeAsync('Cached', original, site);
    const scope = new Scope(options, site);
    const { key, condition } = options;
    return function cached(this: unknown, ...args: unknown[]) {
      try {
        const cache = resolveCache(options.cache, this);
        if (condition !== undefined && !condition(...args)) return original.apply(this, args);
        const k = key === undefined ? keyOf(scope.namespace(this), args) : key(...args);
        return cache.fetch(k, scope.tagSource(this), scope.policy(cache), call, this, args);
      } catch (error) {
        // An async method reports through its promise, even when its key cannot be built.
        return Promise.reject(error);
      }
    };
  }) as AsyncMethodDecorator<O>;
}

/**
 * What a decorated method resolves once: its namespace, its tags and, per cache, its policy.
 * @internal
 */
export class Scope {
  /** The method's namespace, once known. */
  #namespace: string | undefined;
  /** The tags every entry of the method carries. */
  #baseTags: string[] | undefined;
  /** The tag source handed to the engine (tags computed only on a miss). */
  #source: ((args: readonly unknown[]) => readonly string[]) | readonly string[] | undefined;
  /** The cache the policy was resolved for, and that policy. */
  #cache: Cache | undefined;
  #policy: Policy | undefined;

  constructor(
    readonly options: CachedOptions,
    readonly site: MethodSite,
  ) {}

  /** The namespace: the option, or `ClassName.method`. */
  namespace(self: unknown): string {
    return (this.#namespace ??= this.options.namespace ?? `${this.site.className(self)}.${this.site.name}`);
  }

  /**
   * The namespace tag and the class name, whatever the namespace: `@Invalidate({ all: true })` on the
   * class invalidates the class name, and must reach methods with a namespace of their own too.
   */
  baseTags(self: unknown): string[] {
    if (this.#baseTags === undefined) {
      const namespace = this.namespace(self);
      const className = this.site.className(self);
      this.#baseTags = namespace === className ? [namespace] : [namespace, className];
    }
    return this.#baseTags;
  }

  /** Tags of an entry: the base tags and the `tags` option, computed from the arguments on a miss. */
  tagSource(self: unknown): ((args: readonly unknown[]) => readonly string[]) | readonly string[] {
    if (this.#source !== undefined) return this.#source;
    const base = this.baseTags(self);
    const tags = this.options.tags;
    this.#source =
      tags === undefined
        ? base
        : typeof tags === 'function'
          ? (args: readonly unknown[]) => [...base, ...tags(...args)]
          : [...base, ...tags];
    return this.#source;
  }

  /** The policy for `cache`, resolved once per cache. */
  policy(cache: Cache): Policy {
    if (this.#cache === cache) return this.#policy!;
    const { unless } = this.options;
    const policy = { ...cache.policy(this.options) };
    if (unless !== undefined) policy.unless = (value, args) => unless(value, ...args);
    this.#cache = cache;
    this.#policy = policy;
    return policy;
  }
}

/** The method as a loader that insists on a Promise, so a sync method gets a clear error. */
export function mustBeAsync(
  decorator: string,
  original: (this: unknown, ...args: any[]) => unknown,
  site: MethodSite,
): (this: unknown, ...args: unknown[]) => Promise<unknown> {
  return function (this: unknown, ...args: unknown[]) {
    const result = original.apply(this, args);
    if (result === null || typeof (result as { then?: unknown })?.then !== 'function') {
      throw new TypeError(
        `@${decorator} on ${site.className(this)}.${site.name}: the method returned a ${typeof result}, not a Promise; make it async`,
      );
    }
    return result as Promise<unknown>;
  };
}

/** Rejects option values that cannot work, naming the option. */
export function checkDecoratorOptions(decorator: string, options: object): void {
  if (typeof options !== 'object' || options === null)
    throw new TypeError(`@${decorator} takes an options object`);
  for (const name of ['key', 'condition', 'unless'] as const) {
    const value = (options as Record<string, unknown>)[name];
    if (value !== undefined && typeof value !== 'function') {
      throw new TypeError(`@${decorator}: option \`${name}\` must be a function of the method's arguments`);
    }
  }
  const cache = (options as { cache?: unknown }).cache;
  if (
    cache !== undefined &&
    !['function', 'string'].includes(typeof cache) &&
    (typeof cache !== 'object' || cache === null)
  ) {
    throw new TypeError(
      `@${decorator}: option \`cache\` must be a Cache, a cache name, or a function returning a Cache`,
    );
  }
}
