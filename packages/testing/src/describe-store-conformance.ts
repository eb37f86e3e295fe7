import { Keyv } from 'keyv';
import { describe, test } from 'vitest';
import { basicSuite } from './suites/basic.js';
import { concurrencySuite } from './suites/concurrency.js';
import { errorsSuite } from './suites/errors.js';
import { largeValuesSuite } from './suites/large-values.js';
import { manySuite } from './suites/many.js';
import { namespacesSuite } from './suites/namespaces.js';
import { ttlSuite } from './suites/ttl.js';
import { unicodeKeysSuite } from './suites/unicode-keys.js';
import type { ConformanceOptions, ResolvedOptions, StoreFactory, Suite, SuiteName } from './types.js';

/** Every suite, in the order they run. */
export const suites: Record<SuiteName, Suite> = {
  basic: basicSuite,
  ttl: ttlSuite,
  many: manySuite,
  namespaces: namespacesSuite,
  'large-values': largeValuesSuite,
  'unicode-keys': unicodeKeysSuite,
  concurrency: concurrencySuite,
  errors: errorsSuite,
};

/**
 * Registers the conformance suite for a Keyv store with vitest: what a store must do to back a Cachet
 * cache (basic, ttl, many, namespaces, large values, unicode keys, concurrency, errors). Every test gets
 * a fresh store from `factory` and a namespace of its own, and disconnects the store afterwards, so the
 * suite can share one server with other tests.
 *
 * @param name shown in the test names.
 * @param factory makes a fresh store (may be async).
 * @param options what the store promises; see {@link ConformanceOptions}.
 * @example
 * ```ts
 * import { describeStoreConformance } from '@cachet/testing';
 * describeStoreConformance('my store', () => new MyStore(), { clear: 'all' });
 * ```
 */
export function describeStoreConformance(
  name: string,
  factory: StoreFactory,
  options: ConformanceOptions = {},
): void {
  const resolved = resolveOptions(options);
  describe(`store conformance: ${name}`, () => {
    for (const [suiteName, suite] of Object.entries(suites) as Array<[SuiteName, Suite]>) {
      if (resolved.skip?.includes(suiteName)) continue;
      describe(suiteName, () => suite(test, factory, resolved));
    }
  });
}

/** Applies the defaults of {@link ConformanceOptions}. */
export function resolveOptions(options: ConformanceOptions): ResolvedOptions {
  return {
    clear: options.clear ?? 'namespace',
    expiryResolution: options.expiryResolution ?? 100,
    largeValueBytes: options.largeValueBytes ?? 1024 * 1024 + 1024,
    concurrency: options.concurrency ?? 200,
    timeout: options.timeout ?? 5000,
    keyv: options.keyv ?? (Keyv as unknown as ResolvedOptions['keyv']),
    fail: options.fail,
    skip: options.skip,
  };
}
