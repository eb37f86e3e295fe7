import type { CacheOptions } from '@cachet/core';
import type {
  InjectionToken,
  ModuleMetadata,
  OptionalFactoryDependency,
  Provider,
  Type,
} from '@nestjs/common';

/**
 * Options of the module's cache: exactly the `Cache` options of `@cachet/core` (store, memory, bus,
 * lock, namespace, ttl, grace, timeout, storeTimeout, breaker, serializer, onError…).
 */
export type CachetModuleOptions = CacheOptions;

/** What {@link CachetModule.forRoot} takes: the cache's options, and whether the module is global. */
export interface CachetRootOptions extends CachetModuleOptions {
  /** Make the `Cache` injectable in every module without importing `CachetModule` there. Default false. */
  isGlobal?: boolean;
}

/** What {@link CachetModule.forFeature} takes: a named cache's own options. */
export interface CachetFeatureOptions extends CachetModuleOptions {
  /** The cache's name: `@InjectCache(name)` injects it and `@Cached({ cache: name })` uses it. */
  name: string;
  /** Make the named cache injectable in every module. Default false. */
  isGlobal?: boolean;
}

/** A class that makes the cache's options, for `forRootAsync({ useClass })` or `{ useExisting }`. */
export interface CachetOptionsFactory {
  /** Returns the cache's options, or a Promise of them. */
  createCachetOptions(): CachetModuleOptions | Promise<CachetModuleOptions>;
}

/**
 * What {@link CachetModule.forRootAsync} takes: where the options come from, as in every Nest
 * `forRootAsync`. Exactly one of `useFactory`, `useClass` and `useExisting`.
 */
export interface CachetModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  /** Make the cache injectable in every module. Default false. */
  isGlobal?: boolean;
  /** Providers `useFactory` takes as arguments, in order (e.g. `[ConfigService]`). */
  inject?: Array<InjectionToken | OptionalFactoryDependency>;
  /** Returns the cache's options, or a Promise of them. */
  useFactory?: (...args: any[]) => CachetModuleOptions | Promise<CachetModuleOptions>;
  /** A class the module instantiates to make the options. */
  useClass?: Type<CachetOptionsFactory>;
  /** A provider, from `imports`, that makes the options. */
  useExisting?: Type<CachetOptionsFactory>;
  /** More providers to add to the module, e.g. what `useClass` needs. */
  extraProviders?: Provider[];
}

/** What {@link CachetModule.forFeatureAsync} takes: a named cache's name and where its options come from. */
export interface CachetFeatureAsyncOptions extends CachetModuleAsyncOptions {
  /** The cache's name: `@InjectCache(name)` injects it and `@Cached({ cache: name })` uses it. */
  name: string;
}
