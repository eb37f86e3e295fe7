export { MemcacheClearError } from './errors.js';
export { type MemcacheStoreOptions, memcacheStore } from './memcache-store.js';
export { MemcacheStore } from './memcache-store-adapter.js';
export { rendezvous } from './rendezvous.js';
export { MAX_KEY_BYTES, safeKey } from './safe-key.js';
