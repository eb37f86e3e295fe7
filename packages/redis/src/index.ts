export { RedisBusMessageError, RedisClearError, RedisConnectError } from './errors.js';
export type { RedisConnectionOptions } from './lazy-client.js';
export { RedisBus, type RedisBusOptions } from './redis-bus.js';
export { type RedisClusterStoreOptions, redisClusterStore } from './redis-cluster-store.js';
export { RedisLock, type RedisLockOptions } from './redis-lock.js';
export { type RedisSentinelStoreOptions, redisSentinelStore } from './redis-sentinel-store.js';
export { type RedisStoreOptions, redisStore } from './redis-store.js';
export { RedisStore } from './redis-store-adapter.js';
export type { RedisSentinelOptions } from './sentinel.js';
