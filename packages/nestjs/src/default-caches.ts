import { type Cache, setDefaultCache } from '@cachet/core';

/**
 * The caches Nest modules made, by name ('' for the default), in the order they were made. The
 * newest of a name is what `@cachet/core`'s registry holds, so decorators with no `cache` option (or
 * `cache: name`) use it; when it goes away the one before it comes back. Kept on `globalThis`, like
 * core's registry, so that the ESM and CJS builds of this package share it.
 */
const SLOT = Symbol.for('@cachet/nestjs.default-caches');
const holder = globalThis as { [SLOT]?: Map<string, Cache[]> };
const stacks = (holder[SLOT] ??= new Map<string, Cache[]>());

/** Makes `cache` what decorators use by default (no `name`) or under `name`. */
export function pushDefaultCache(cache: Cache, name = ''): void {
  let stack = stacks.get(name);
  if (stack === undefined) stacks.set(name, (stack = []));
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
  if (at === stack.length) setDefaultCache(stack.at(-1), name);
  if (stack.length === 0) stacks.delete(name);
}
