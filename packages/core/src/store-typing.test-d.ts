/**
 * Type tests of the `store` option, checked by `tsc` (`pnpm typecheck`): every `@ts-expect-error` below
 * must be an error, or the check fails.
 */
import Keyv5, { type KeyvStoreAdapter } from 'keyv';
import Keyv6 from 'keyv6';
import { Cache } from './cache.js';
import { MemoryStore } from './memory/memory-store.js';

declare function storeFactory(url: string): KeyvStoreAdapter;

export const stores = [
  new Cache({ store: storeFactory('redis://localhost') }),
  new Cache({ store: new Keyv5() }),
  new Cache({ store: new Keyv6() }),
  new Cache({ store: new Map<string, string>() }),
  new Cache({ store: new MemoryStore<string>() }),
  // @ts-expect-error the factory itself, not called: `store: redisStore` for `store: redisStore(url)`
  new Cache({ store: storeFactory }),
  // @ts-expect-error not a store at all
  new Cache({ store: { url: 'redis://localhost' } }),
];
