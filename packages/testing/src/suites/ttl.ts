import type { Suite } from '../types.js';
import { isAbsent, sleep, uniqueNamespace, withKeyv } from './context.js';

/** Expiry, through Keyv (millisecond-exact) and in the store itself (within its resolution). */
export const ttlSuite: Suite = (test, factory, options) => {
  test('a value is readable before its ttl and gone after it', async ({ expect }) => {
    await withKeyv(factory, options, async ({ keyv }) => {
      await keyv.set('short', 'value', 300);
      await keyv.set('forever', 'value');
      expect(await keyv.get('short')).toBe('value');
      await sleep(400);
      expect(await keyv.get('short')).toBeUndefined();
      expect(await keyv.get('forever')).toBe('value');
    });
  });

  test('a sub-second ttl still expires (it never means "no expiry")', async ({ expect }) => {
    await withKeyv(factory, options, async ({ keyv }) => {
      await keyv.set('tiny', 'value', 50);
      expect(await keyv.get('tiny')).toBe('value');
      await sleep(120);
      expect(await keyv.get('tiny')).toBeUndefined();
    });
  });

  test('setting again without a ttl removes the old ttl', async ({ expect }) => {
    await withKeyv(factory, options, async ({ keyv }) => {
      await keyv.set('key', 'old', 150);
      await keyv.set('key', 'new');
      await sleep(250);
      expect(await keyv.get('key')).toBe('new');
    });
  });

  const resolution = options.expiryResolution;
  if (resolution !== false) {
    test(
      'the store itself drops an expired entry',
      async ({ expect }) => {
        await withKeyv(factory, options, async ({ store }) => {
          // Straight to the store, bypassing Keyv's own expiry check.
          const key = uniqueNamespace('raw-ttl');
          const raw = JSON.stringify({ value: 'v', expires: null });
          await store.set(key, raw, 200);
          expect(isAbsent(await store.get(key))).toBe(false);
          await sleep(200 + resolution + 100);
          expect(isAbsent(await store.get(key))).toBe(true);
        });
      },
      resolution + 10_000,
    );
  }
};
