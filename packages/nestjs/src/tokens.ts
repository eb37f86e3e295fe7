import { Cache } from '@cachet/core';
import { Inject } from '@nestjs/common';

/**
 * The injection token of the module's cache options (what `forRoot` was given, or what
 * `forRootAsync` made). Strings, not symbols, so that two copies of this package still agree.
 */
export const CACHET_OPTIONS = 'CachetModuleOptions';

/**
 * The injection token of a cache: the `Cache` class itself for the module's cache (no name), or a
 * string for a named one (`CachetModule.forFeature({ name })`).
 */
export function getCacheToken(name?: string): typeof Cache | string {
  return name === undefined ? Cache : `CachetCache:${name}`;
}

/** The injection token of a cache's options: {@link CACHET_OPTIONS}, or a named cache's. */
export function getCacheOptionsToken(name?: string): string {
  return name === undefined ? CACHET_OPTIONS : `${CACHET_OPTIONS}:${name}`;
}

/**
 * Injects a cache: the module's (no name; the same as typing the parameter `cache: Cache`), or the
 * named one from `CachetModule.forFeature({ name })`.
 * @example
 * ```ts
 * constructor(@InjectCache('reports') private readonly reports: Cache) {}
 * ```
 */
export function InjectCache(name?: string): PropertyDecorator & ParameterDecorator {
  return Inject(getCacheToken(name));
}
