import type { TestAPI } from 'vitest';
import type { AnyStore } from './faulty-store.js';

/** Makes a fresh store for one test: a Keyv store adapter or a Map-like store (may be async). */
export type StoreFactory = () => AnyStore | Promise<AnyStore>;

/** The suites of {@link describeStoreConformance}. */
export type SuiteName =
  | 'basic'
  | 'ttl'
  | 'many'
  | 'namespaces'
  | 'large-values'
  | 'unicode-keys'
  | 'concurrency'
  | 'errors';

/** A Keyv class (keyv 5 or 6). */
export type KeyvClass = new (options: { store: AnyStore; namespace?: string }) => any;

/** What a store promises, so the suites check the right behaviour. All optional. */
export interface ConformanceOptions {
  /**
   * What `clear()` removes: `'namespace'` (only the Keyv namespace it is called through, like
   * `@keyv/redis`), `'all'` (every key in the store, like a `Map`), or `'unsupported'` (it rejects,
   * like `@cachet/memcache` without `allowFlush`). Default `'namespace'`.
   */
  clear?: 'namespace' | 'all' | 'unsupported';
  /**
   * How late the store itself may drop an expired entry, in ms (Keyv and Cachet also check expiry on
   * read). Default 100; Memcached has 1 s resolution, so use 2000. `false`: the store does not expire
   * entries on its own.
   */
  expiryResolution?: number | false;
  /** Size of the large value, in bytes; default 1 MiB + 1 KiB. */
  largeValueBytes?: number;
  /** Parallel operations in the concurrency suite; default 200. */
  concurrency?: number;
  /** Longest a single operation may take before the errors suite calls it a hang, in ms; default 5000. */
  timeout?: number;
  /**
   * Makes the store's backend fail (stop the server, close the socket). When given, the errors suite
   * checks that every call then settles within `timeout` and that the failure is reported.
   */
  fail?: (store: AnyStore) => void | Promise<void>;
  /** The Keyv class to test through; default `Keyv` from the installed `keyv` package. */
  keyv?: KeyvClass;
  /** Suites to leave out. */
  skip?: SuiteName[];
}

/** {@link ConformanceOptions} with defaults applied. */
export type ResolvedOptions = Required<Omit<ConformanceOptions, 'fail' | 'skip'>> &
  Pick<ConformanceOptions, 'fail' | 'skip'>;

/** One suite: registers its tests with `test`, like `@keyv/test-suite`. */
export type Suite = (test: TestAPI, factory: StoreFactory, options: ResolvedOptions) => void;
