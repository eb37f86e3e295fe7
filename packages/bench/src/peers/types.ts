/** The contract each library's adapter in this folder implements, so that every suite drives them alike. */
import type { User } from '../fixtures.js';
import type { RedisServer } from '../redis-server.js';

/** Where values live: in process only, in process over Redis, or in Redis only. */
export type Layout = 'memory' | 'two-tier' | 'l2';

/** What a variant is built from. */
export interface VariantConfig {
  /** The origin: called on a miss. */
  load: (id: number) => Promise<User>;
  /** Time to live, ms. */
  ttl: number;
  /** Entries the in-process tier holds at most. */
  capacity: number;
  /** For `two-tier` and `l2`: the server. */
  redis?: RedisServer;
  /** A prefix unique to this variant, so that no two share a Redis key. */
  prefix: string;
}

/** A cached `get(id)` built by a library, and how to release it. */
export interface Cached {
  get(id: number): Promise<User>;
  close(): Promise<void>;
}

/** One way of using one library. */
export interface Variant {
  /** Shown in tables, e.g. `bentocache getOrSet`. */
  name: string;
  /** The library, e.g. `bentocache`. */
  library: string;
  layout: Layout;
  create(config: VariantConfig): Cached | Promise<Cached>;
}

/** Nothing to release. */
export async function noop(): Promise<void> {}

/** The server of a Redis layout, or a clear error. */
export function redisOf(config: VariantConfig): RedisServer {
  if (config.redis === undefined) throw new Error('this layout needs config.redis');
  return config.redis;
}
