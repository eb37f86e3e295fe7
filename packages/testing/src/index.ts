export { describeStoreConformance, resolveOptions, suites } from './describe-store-conformance.js';
export { FaultInjectedError } from './errors.js';
export {
  type AnyStore,
  type FaultMode,
  type FaultOptions,
  FaultyStore,
  faultyStore,
  type StoreOperation,
} from './faulty-store.js';
export { basicSuite } from './suites/basic.js';
export { concurrencySuite } from './suites/concurrency.js';
export { errorsSuite } from './suites/errors.js';
export { largeValuesSuite } from './suites/large-values.js';
export { manySuite } from './suites/many.js';
export { namespacesSuite } from './suites/namespaces.js';
export { ttlSuite } from './suites/ttl.js';
export { unicodeKeysSuite } from './suites/unicode-keys.js';
export type {
  ConformanceOptions,
  KeyvClass,
  ResolvedOptions,
  StoreFactory,
  Suite,
  SuiteName,
} from './types.js';
