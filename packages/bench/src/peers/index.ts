/** Every library's variants, Cachet's first. */
import { bentocache } from './bentocache.js';
import { cacheManager } from './cache-manager.js';
import { cacheable } from './cacheable.js';
import { cachet } from './cachet.js';

export { cachetLocked } from './cachet.js';

import { lruCacheVariants } from './lru-cache.js';
import { pMemoizeVariants } from './p-memoize.js';
import { typeCacheable } from './type-cacheable.js';
import type { Layout, Variant } from './types.js';

export type { Cached, Layout, Variant, VariantConfig } from './types.js';

/** All variants. */
export const variants: Variant[] = [
  ...cachet,
  ...bentocache,
  ...cacheable,
  ...cacheManager,
  ...typeCacheable,
  ...pMemoizeVariants,
  ...lruCacheVariants,
];

/** The variants of one layout. */
export function variantsOf(layout: Layout): Variant[] {
  return variants.filter((variant) => variant.layout === layout);
}
