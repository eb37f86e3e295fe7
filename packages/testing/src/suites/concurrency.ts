import type { Suite } from '../types.js';
import { withKeyv } from './context.js';

/** Many operations in flight at once neither lose nor mix up values. */
export const concurrencySuite: Suite = (test, factory, options) => {
  const n = options.concurrency;

  test(`${n} parallel sets then ${n} parallel gets of distinct keys`, async ({ expect }) => {
    await withKeyv(factory, options, async ({ keyv }) => {
      const keys = Array.from({ length: n }, (_, i) => `key-${i}`);
      await Promise.all(keys.map((key, i) => keyv.set(key, { i })));
      const values = await Promise.all(keys.map((key) => keyv.get(key)));
      expect(values).toEqual(keys.map((_, i) => ({ i })));
    });
  });

  test(`${n} parallel sets of one key leave one of the written values`, async ({ expect }) => {
    await withKeyv(factory, options, async ({ keyv }) => {
      await Promise.all(Array.from({ length: n }, (_, i) => keyv.set('contended', `value-${i}`)));
      expect(await keyv.get('contended')).toMatch(/^value-\d+$/);
    });
  });

  test('interleaved sets, gets and deletes all settle with consistent results', async ({ expect }) => {
    await withKeyv(factory, options, async ({ keyv }) => {
      const ops: Array<Promise<unknown>> = [];
      for (let i = 0; i < n; i++) {
        const key = `mixed-${i % 20}`;
        if (i % 3 === 0) ops.push(keyv.set(key, i));
        else if (i % 3 === 1) ops.push(keyv.get(key));
        else ops.push(keyv.delete(key));
      }
      await Promise.all(ops);
      await keyv.set('mixed-final', 'done');
      expect(await keyv.get('mixed-final')).toBe('done');
    });
  });
};
