import { describeStoreConformance } from '@cachet/testing';
import { MapStore } from '../fixtures/custom-store.js';

// One Map shared by every store the factory makes, like one server shared by many clients, so the
// namespace suite really tests isolation.
const shared = new Map();

describeStoreConformance('custom MapStore (docs/custom-store.md)', () => new MapStore(shared), {
  clear: 'namespace',
});
