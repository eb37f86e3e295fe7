import type { EntryOptions } from '../cache-options.js';
import type { Duration } from '../types.js';
import type { CacheRef } from './default-cache.js';

/** Any function of a method's arguments, as the options accept them before a method is known. */
type ArgsFn<R> = (...args: any[]) => R;

/** Options all three decorators share. */
export interface DecoratorOptions {
  /**
   * The cache to use: a `Cache`, the name of one registered with `setDefaultCache(cache, name)`, or a
   * function of the instance returning one (DI). Default: the default cache.
   */
  cache?: CacheRef;
  /**
   * The method's namespace: the prefix of its default keys and a tag on every entry it writes.
   * Default `ClassName.methodName`.
   */
  namespace?: string;
  /**
   * The key, from the method's arguments. The entry's key is exactly what it returns. Default:
   * `namespace + ':' +` a stable, injective encoding of the arguments (hashed when long).
   */
  key?: ArgsFn<string>;
  /** Decides before the call, from the arguments, whether the cache is used at all. */
  condition?: ArgsFn<boolean>;
  /** Decides after the call, from the result then the arguments, whether the result stays out of the cache. */
  unless?: (result: any, ...args: any[]) => boolean;
}

/**
 * Options of `@Cached`: the shared ones, the entry settings of the cache (`ttl`, `grace`,
 * `staleWhileRevalidate`, `timeout`, `refreshAhead`, `earlyExpiration`, `cacheNull`, `cacheErrors`),
 * each overriding the cache's, and `tags`.
 */
export interface CachedOptions extends DecoratorOptions, EntryOptions {
  /** Tags of the entry, or a function of the arguments giving them. */
  tags?: readonly string[] | ArgsFn<readonly string[]>;
}

/** Options of `@CachePut`. */
export interface CachePutOptions extends DecoratorOptions {
  /** How long the result stays fresh: ms or `'5m'`; default: the cache's TTL. */
  ttl?: Duration;
  /** How long past the TTL the result may stand in for a failing or slow call; default: the cache's. */
  grace?: Duration | false;
  /** Tags of the entry, or a function of the arguments giving them. */
  tags?: readonly string[] | ArgsFn<readonly string[]>;
}

/**
 * Options of `@Invalidate`. Invalidation runs after the method succeeds, never after it throws. It
 * writes no entry, so it takes no `key` or `namespace` of its own: `keys` and `all` name those of the
 * `@Cached` methods it invalidates.
 */
export interface InvalidateOptions extends Omit<DecoratorOptions, 'key' | 'namespace'> {
  /** Keys to delete (as `@Cached`'s `key` returns them), or a function of the arguments giving them. */
  keys?: string | readonly string[] | ArgsFn<string | readonly string[]>;
  /** Tags to invalidate, or a function of the arguments giving them. */
  tags?: string | readonly string[] | ArgsFn<string | readonly string[]>;
  /**
   * Invalidate everything decorated methods wrote: `true` for every method of this class, or the
   * namespaces to clear (e.g. `'Users.get'`).
   */
  all?: boolean | string | readonly string[];
  /** `'after'` (default) the method succeeds, or `'before'` it runs. */
  when?: 'after' | 'before';
}

/**
 * The options object `O` as given, with every property that `T` does not define typed as a message:
 * a misspelt option (`tll`) next to valid ones fails to compile. A type parameter inferred from an
 * object literal gets no excess-property check of its own, only TypeScript's weak-type check, which
 * passes as soon as one property is right. (Mapped over `O`, so that `O` is still inferred from it.)
 */
export type KnownOptions<O, T> = { [K in keyof O]: K extends keyof T ? O[K] : UnknownOption };

/** The type an unknown option name gets in {@link KnownOptions}: what the compiler prints. */
type UnknownOption = '@cachet: not an option of this decorator (misspelt?)';

/** The message a wrong option function produces at compile time. */
type Mismatch =
  '@cachet: key, tags, keys, condition and unless must take the parameters of the decorated method';

type Fits<F, A extends unknown[], R> = [F] extends [undefined]
  ? true
  : [F] extends [(...args: A) => R]
    ? true
    : false;
type FitsList<F, A extends unknown[]> = [F] extends [undefined]
  ? true
  : [F] extends [string | readonly string[]]
    ? true
    : [F] extends [(...args: A) => string | readonly string[]]
      ? true
      : false;

/** `unknown` when the option functions of `O` take the method's parameters `A` (result `T`); a message otherwise. */
export type CheckOptions<O, A extends unknown[], T> = [
  Fits<O extends { key: infer K } ? K : undefined, A, string>,
  Fits<O extends { condition: infer C } ? C : undefined, A, boolean>,
  Fits<O extends { unless: infer U } ? U : undefined, [T, ...A], boolean>,
  FitsList<O extends { tags: infer G } ? G : undefined, A>,
  FitsList<O extends { keys: infer K } ? K : undefined, A>,
] extends [true, true, true, true, true]
  ? unknown
  : Mismatch;

/**
 * A decorator for async methods, in both modes. The method must return a Promise (a sync method is a
 * compile error), and the option functions must take its parameters.
 */
export interface AsyncMethodDecorator<O> {
  <This, A extends unknown[], T>(
    value: (this: This, ...args: A) => Promise<T>,
    context: ClassMethodDecoratorContext<This, (this: This, ...args: A) => Promise<T>> &
      CheckOptions<O, A, T>,
  ): void;
  <A extends unknown[], T>(
    target: object,
    propertyKey: string | symbol,
    descriptor: TypedPropertyDescriptor<(...args: A) => Promise<T>> & CheckOptions<O, A, T>,
  ): void;
}
