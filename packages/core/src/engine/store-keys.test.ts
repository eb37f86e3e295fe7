import { describe, expect, test } from 'vitest';
import { Cache } from '../cache.js';
import { KEYV_VERSIONS } from '../test-support/keyvs.js';

describe('keys in the store', () => {
  test('a store given as it is holds the keys as the cache names them: `a` and `keyv:a` are two entries', async () => {
    const map = new Map<string, unknown>();
    const cache = new Cache({ store: map, memory: false });
    await cache.set('a', 'value of a');
    await cache.set('keyv:a', 'value of keyv:a');
    expect(await cache.get('a')).toBe('value of a');
    expect(await cache.get('keyv:a')).toBe('value of keyv:a');
    expect([...map.keys()].sort()).toEqual(['a', 'keyv:a']);
  });

  test('a cache namespaced `keyv` reads back what it wrote, from a store that reads many keys at once', async () => {
    const store = new BatchStore();
    const cache = new Cache({ store, memory: false, namespace: 'keyv' });
    await cache.set('user:1', { name: 'Ada' });
    expect(await cache.get('user:1')).toEqual({ name: 'Ada' });
    expect([...store.data.keys()]).toEqual(['keyv:user:1']);
  });

  describe.each(KEYV_VERSIONS)('over a %s instance with a namespace', (_, makeKeyv) => {
    test('a key that starts with that namespace is written, read and deleted alike', async () => {
      const cache = new Cache({ store: makeKeyv({ namespace: 'app' }), memory: false });
      await cache.set('app:x', 'value of app:x');
      await cache.set('y', 'value of y');
      expect(await cache.get('app:x')).toBe('value of app:x');
      expect(await cache.get('y')).toBe('value of y');
      await cache.delete(['app:x', 'y']);
      expect(await cache.get('app:x')).toBeUndefined();
      expect(await cache.get('y')).toBeUndefined();
    });
  });
});

/** A Keyv store over a Map with its own `getMany`, as `@keyv/memcache` has (a plain Map has none). */
class BatchStore {
  readonly data = new Map<string, unknown>();
  namespace: string | undefined;
  readonly opts = {};
  async get(key: string) {
    return this.data.get(key);
  }
  async getMany(keys: string[]) {
    return keys.map((key) => this.data.get(key));
  }
  async set(key: string, value: unknown) {
    this.data.set(key, value);
    return true;
  }
  async delete(key: string) {
    return this.data.delete(key);
  }
  async clear() {
    this.data.clear();
  }
}
