import type { Suite } from '../types.js';
import { withKeyv } from './context.js';

/** Values of a megabyte and more round-trip byte for byte. */
export const largeValuesSuite: Suite = (test, factory, options) => {
  const bytes = options.largeValueBytes;

  test(`a ${Math.round(bytes / 1024)} KiB string round-trips`, async ({ expect }) => {
    await withKeyv(factory, options, async ({ keyv }) => {
      const value = 'x'.repeat(bytes - 16) + '-the-end-marker!';
      await keyv.set('large', value);
      const read = await keyv.get('large');
      expect(read?.length).toBe(value.length);
      expect(read === value).toBe(true);
    });
  });

  test('a large value of multi-byte characters round-trips', async ({ expect }) => {
    await withKeyv(factory, options, async ({ keyv }) => {
      // 'é€😀' is 2 + 3 + 4 = 9 UTF-8 bytes.
      const value = { text: 'é€😀'.repeat(Math.ceil(bytes / 9)), n: 1 };
      await keyv.set('large-utf8', value);
      const read = await keyv.get('large-utf8');
      expect(read?.text === value.text).toBe(true);
    });
  });
};
