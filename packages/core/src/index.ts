export { Cache } from './cache.js';
export type { CacheOptions, EntryOptions, GetOrSetOptions, SetOptions, StoreLike } from './cache-options.js';
export { CachePut } from './decorators/cache-put.js';
export { Cached } from './decorators/cached.js';
export {
  bindCache,
  type CacheRef,
  getDefaultCache,
  peekDefaultCache,
  setDefaultCache,
} from './decorators/default-cache.js';
export { Invalidate } from './decorators/invalidate.js';
export type {
  AsyncMethodDecorator,
  CachedOptions,
  CachePutOptions,
  DecoratorOptions,
  InvalidateOptions,
} from './decorators/options.js';
export { parseDuration } from './duration.js';
export type { TrackingListener } from './engine/store-backend.js';
export {
  CachedLoaderError,
  CachetError,
  CircuitOpenError,
  KeyError,
  LoaderTimeoutError,
  SerializationError,
  StoreTimeoutError,
} from './errors.js';
export { encodeArgs, keyOf } from './keys.js';
export {
  type EvictionPolicy,
  type EvictionReason,
  type EvictListener,
  MemoryStore,
  type MemoryStoreOptions,
  type MemoryStoreStats,
  type PolicyName,
} from './memory/memory-store.js';
export { JsonSerializer } from './serializer.js';
export type {
  Bus,
  BusMessage,
  CacheEvents,
  CacheLayer,
  CacheStats,
  Duration,
  Envelope,
  Lock,
  LockAcquireOptions,
  LockHandle,
  Serializer,
} from './types.js';
