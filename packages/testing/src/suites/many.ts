import type { Suite } from '../types.js';
import { withKeyv } from './context.js';

/** getMany / setMany / deleteMany through Keyv (native on the store when it has them). */
export const manySuite: Suite = (test, factory, options) => {
  test('setMany then getMany returns values in order, undefined for misses', async ({ expect }) => {
    await withKeyv(factory, options, async ({ keyv }) => {
      await keyv.setMany([
        { key: 'a', value: 1 },
        { key: 'b', value: { two: 2 } },
        { key: 'c', value: 'three', ttl: 60_000 },
      ]);
      expect(await keyv.getMany(['c', 'missing', 'a', 'b'])).toEqual(['three', undefined, 1, { two: 2 }]);
    });
  });

  test('getMany of 100 keys keeps their order', async ({ expect }) => {
    await withKeyv(factory, options, async ({ keyv }) => {
      const keys = Array.from({ length: 100 }, (_, i) => `k${i}`);
      await keyv.setMany(keys.map((key, i) => ({ key, value: i })));
      const reversed = [...keys].reverse();
      expect(await keyv.getMany(reversed)).toEqual(reversed.map((_, i) => 99 - i));
    });
  });

  test('deleteMany removes every listed key and nothing else', async ({ expect }) => {
    await withKeyv(factory, options, async ({ keyv }) => {
      await keyv.setMany([
        { key: 'a', value: 1 },
        { key: 'b', value: 2 },
        { key: 'c', value: 3 },
      ]);
      await keyv.deleteMany(['a', 'b', 'missing']);
      expect(await keyv.getMany(['a', 'b', 'c'])).toEqual([undefined, undefined, 3]);
    });
  });
};
