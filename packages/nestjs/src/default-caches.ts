import { type Cache, peekDefaultCache, setDefaultCache } from '@cachet/core';

/**
 * The caches Nest modules made, by name ('' for the default), in the order they were made. The
 * newest of a name is what `@cachet/core`'s registry holds, so decorators with no `cache` option (or
 * `cache: name`) use it; when it goes away the one before it comes back. Kept on `globalThis`, like
 * core's registry, so that the ESM and CJS builds of this package share it.
 */
const SLOT = Symbol.for('@cachet/nestjs.default-caches');
const holder = globalThis as { [SLOT]?: Map<string, Cache[]> };
const stacks = (holder[SLOT] ??= new Map<string, Cache[]>());
/** By name, the cache registered before the first Nest module's, to put back after the last. */
const USER_SLOT = Symbol.for('@cachet/nestjs.user-caches');
const userHolder = globalThis as { [USER_SLOT]?: Map<string, Cache | undefined> };
const userCaches = (userHolder[USER_SLOT] ??= new Map<string, Cache | undefined>());

/** Makes `cache` what decorators use by default (no `name`) or under `name`. */
export function pushDefaultCache(cache: Cache, name = ''): void {
  let stack = stacks.get(name);
  if (stack === undefined) {
    stacks.set(name, (stack = []));
    // A cache the user registered before any Nest module did comes back when the modules are gone.
    userCaches.set(name, peekDefaultCache(name));
  }
  stack.push(cache);
  setDefaultCache(cache, name);
}

/** Withdraws `cache`; the cache registered before it, if any is still alive, takes its place. */
export function removeDefaultCache(cache: Cache, name = ''): void {
  const stack = stacks.get(name);
  if (stack === undefined) return;
  const at = stack.lastIndexOf(cache);
  if (at === -1) return;
  stack.splice(at, 1);
  if (stack.length === 0) {
    setDefaultCache(userCaches.get(name), name);
    stacks.delete(name);
    userCaches.delete(name);
  } else if (at === stack.length) {
    setDefaultCache(stack.at(-1), name);
  }
}
