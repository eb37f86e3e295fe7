import { checkDecoratorOptions, mustBeAsync, Scope } from './cached.js';
import { methodDecorator } from './decorate.js';
import { resolveCache } from './default-cache.js';
import type { AsyncMethodDecorator, InvalidateOptions, KnownOptions } from './options.js';

/**
 * After the method succeeds (or before it runs, with `when: 'before'`), deletes `keys`, invalidates
 * `tags`, or with `all` every entry of the class's (or the named) decorated methods. Never after the
 * method throws.
 *
 * @example
 * ```ts
 * @Invalidate({ tags: (id: number) => [`user:${id}`] })
 * async update(id: number, patch: Patch) { await db.users.update(id, patch); }
 * ```
 */
export function Invalidate<const O extends InvalidateOptions>(
  options: KnownOptions<O, InvalidateOptions>,
): AsyncMethodDecorator<O> {
  checkDecoratorOptions('Invalidate', options ?? {});
  if (options.keys === undefined && options.tags === undefined && !options.all) {
    throw new TypeError('@Invalidate needs `keys`, `tags` or `all`: say what the method makes stale');
  }
  if (options.when !== undefined && options.when !== 'after' && options.when !== 'before') {
    throw new TypeError(
      `@Invalidate: option \`when\` must be 'after' or 'before', got ${String(options.when)}`,
    );
  }
  return methodDecorator('Invalidate', (original, site) => {
    const call = mustBeAsync('Invalidate', original, site);
    const scope = new Scope({ namespace: undefined }, site);
    const { condition, unless } = options;
    const invalidate = async (self: unknown, args: unknown[]) => {
      const cache = resolveCache(options.cache, self);
      const keys = listOf(options.keys, args);
      const tags = listOf(options.tags, args);
      const all = options.all;
      if (all === true) tags.push(scope.site.className(self));
      else if (all) tags.push(...listOf(all, args));
      await Promise.all([
        keys.length > 0 && cache.delete(keys),
        tags.length > 0 && cache.invalidateTags(tags),
      ]);
    };
    return async function invalidating(this: unknown, ...args: unknown[]) {
      if (condition !== undefined && !condition(...args)) return call.apply(this, args);
      if (options.when === 'before') await invalidate(this, args);
      const result = await call.apply(this, args);
      if (options.when !== 'before' && (unless === undefined || !unless(result, ...args))) {
        await invalidate(this, args);
      }
      return result;
    };
  }) as AsyncMethodDecorator<O>;
}

/** A list option's strings for this call. */
function listOf(
  option: string | readonly string[] | ((...args: any[]) => string | readonly string[]) | undefined,
  args: unknown[],
): string[] {
  if (option === undefined) return [];
  const value = typeof option === 'function' ? option(...args) : option;
  return typeof value === 'string' ? [value] : [...value];
}
