export { MemoryStore, type MemoryStoreOptions } from './memory/memory-store.js';
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
