import { Cache, type CacheOptions } from '@cachet/core';
import type { Provider } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { CacheOwner } from './cache-owner.js';
import { pushDefaultCache } from './default-caches.js';
import type { CachetModuleAsyncOptions, CachetOptionsFactory } from './module-options.js';
import { getCacheOptionsToken, getCacheToken } from './tokens.js';

/**
 * The providers of one cache whose options are under its options token: the cache itself (made
 * and registered for the decorators as soon as Nest instantiates it, before any `onModuleInit`
 * runs) and its owner, which closes it on shutdown.
 */
export function cacheProviders(name: string | undefined): Provider[] {
  const optionsToken = getCacheOptionsToken(name);
  const cacheToken = getCacheToken(name);
  return [
    {
      provide: cacheToken,
      useFactory: (options: CacheOptions) => {
        const cache = new Cache(withoutModuleKeys(options));
        pushDefaultCache(cache, name ?? '');
        return cache;
      },
      inject: [optionsToken],
    },
    {
      provide: `CachetOwner:${name ?? ''}`,
      useFactory: (cache: Cache, options: CacheOptions, discovery: DiscoveryService) =>
        new CacheOwner(cache, options, name, discovery),
      inject: [cacheToken, optionsToken, DiscoveryService],
    },
  ];
}

/** The options provider of `forRootAsync` / `forFeatureAsync`. */
export function asyncOptionsProviders(
  name: string | undefined,
  options: CachetModuleAsyncOptions,
  module: string,
): Provider[] {
  const provide = getCacheOptionsToken(name);
  const { useFactory, useClass, useExisting } = options;
  const given = [useFactory, useClass, useExisting].filter((use) => use !== undefined).length;
  if (given !== 1) {
    throw new TypeError(`${module} takes exactly one of useFactory, useClass and useExisting (got ${given})`);
  }
  if (useFactory !== undefined) {
    if (typeof useFactory !== 'function') throw new TypeError(`${module}: useFactory must be a function`);
    return [{ provide, useFactory, inject: options.inject ?? [] }];
  }
  const factoryClass = (useClass ?? useExisting)!;
  const make = (factory: CachetOptionsFactory) => factory.createCachetOptions();
  if (useExisting !== undefined) return [{ provide, useFactory: make, inject: [useExisting] }];
  return [
    { provide: factoryClass, useClass: factoryClass },
    { provide, useFactory: make, inject: [factoryClass] },
  ];
}

/** The `Cache` options out of module options, which may also carry the module's own keys. */
function withoutModuleKeys(options: CacheOptions): CacheOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('CachetModule: the cache options must be an object (the options of new Cache())');
  }
  const {
    isGlobal: _global,
    name: _name,
    ...rest
  } = options as CacheOptions & {
    isGlobal?: unknown;
    name?: unknown;
  };
  return rest;
}
