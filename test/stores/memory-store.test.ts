import { MemoryStore } from '@cachet/core';
import { describeStoreConformance } from '@cachet/testing';

// A MemoryStore is Map-like: Keyv clears the whole map on clear(), so clear is 'all'.
describeStoreConformance('MemoryStore', () => new MemoryStore({ maxEntries: 10_000 }), { clear: 'all' });
