import type { Suite } from '../types.js';
import { withKeyv } from './context.js';

/** Keys that are not plain ASCII identifiers; none may collide with another. */
const KEYS = [
  'ключ',
  '键',
  '🔑 emoji',
  'with space',
  'with_space',
  'tab\there',
  'new\nline',
  'colons:in::key',
  'ü'.repeat(200),
  `${'x'.repeat(400)}1`,
  `${'x'.repeat(400)}2`,
];

/** Unicode, whitespace, control characters and long keys are stored and kept distinct. */
export const unicodeKeysSuite: Suite = (test, factory, options) => {
  test('unicode, spaced, control-character and long keys round-trip without collisions', async ({
    expect,
  }) => {
    await withKeyv(factory, options, async ({ keyv }) => {
      for (const [i, key] of KEYS.entries()) await keyv.set(key, i);
      for (const [i, key] of KEYS.entries()) expect(await keyv.get(key), JSON.stringify(key)).toBe(i);
      await keyv.delete(KEYS[0]);
      expect(await keyv.get(KEYS[0])).toBeUndefined();
      expect(await keyv.get(KEYS[1])).toBe(1);
    });
  });
};
