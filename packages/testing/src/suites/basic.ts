import type { Suite } from '../types.js';
import { withKeyv } from './context.js';

/** Values of every JSON type, falsy ones included: a falsy value is still a hit. */
const VALUES: Array<[string, unknown]> = [
  ['a string', 'hello'],
  ['an empty string', ''],
  ['a number', 42.5],
  ['zero', 0],
  ['false', false],
  ['null', null],
  ['an object', { nested: { list: [1, 'two', { three: 3 }] }, flag: true }],
  ['an array', [1, 'two', null]],
];

/** get / set / delete / has / clear. */
export const basicSuite: Suite = (test, factory, options) => {
  test('get of a missing key resolves undefined', async ({ expect }) => {
    await withKeyv(factory, options, async ({ keyv }) => {
      expect(await keyv.get('missing')).toBeUndefined();
    });
  });

  for (const [label, value] of VALUES) {
    test(`set then get returns ${label}`, async ({ expect }) => {
      await withKeyv(factory, options, async ({ keyv }) => {
        await keyv.set('key', value);
        expect(await keyv.get('key')).toEqual(value);
      });
    });
  }

  test('set overwrites', async ({ expect }) => {
    await withKeyv(factory, options, async ({ keyv }) => {
      await keyv.set('key', 'first');
      await keyv.set('key', 'second');
      expect(await keyv.get('key')).toBe('second');
    });
  });

  test('delete removes the key and tells whether it existed', async ({ expect }) => {
    await withKeyv(factory, options, async ({ keyv }) => {
      await keyv.set('key', 'value');
      await keyv.set('other', 'stays');
      expect(await keyv.delete('key')).toBe(true);
      expect(await keyv.get('key')).toBeUndefined();
      expect(await keyv.delete('key')).toBe(false);
      expect(await keyv.get('other')).toBe('stays');
    });
  });

  test('has tells present from missing', async ({ expect }) => {
    await withKeyv(factory, options, async ({ keyv }) => {
      await keyv.set('key', 0);
      expect(await keyv.has('key')).toBe(true);
      expect(await keyv.has('missing')).toBe(false);
    });
  });

  if (options.clear === 'unsupported') {
    test('clear refuses loudly and removes nothing', async ({ expect }) => {
      await withKeyv(factory, options, async ({ keyv, errors }) => {
        await keyv.set('key', 'value');
        keyv.throwOnErrors = true;
        await expect(keyv.clear()).rejects.toThrow();
        keyv.throwOnErrors = false;
        await keyv.clear();
        expect(errors.length).toBeGreaterThan(0);
        expect(await keyv.get('key')).toBe('value');
      });
    });
  } else {
    test('clear removes every key of the namespace', async ({ expect }) => {
      await withKeyv(factory, options, async ({ keyv }) => {
        await keyv.set('a', 1);
        await keyv.set('b', 2);
        await keyv.clear();
        expect(await keyv.get('a')).toBeUndefined();
        expect(await keyv.get('b')).toBeUndefined();
        await keyv.set('a', 3);
        expect(await keyv.get('a')).toBe(3);
      });
    });
  }
};
