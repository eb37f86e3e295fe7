import type { Suite } from '../types.js';
import { openKeyv, uniqueNamespace } from './context.js';

/** Two Keyv namespaces over the same backend never see each other's keys. */
export const namespacesSuite: Suite = (test, factory, options) => {
  test('two stores in different namespaces keep the same key apart', async ({ expect }) => {
    const a = await openKeyv(factory, options, uniqueNamespace('ns-a'));
    const b = await openKeyv(factory, options, uniqueNamespace('ns-b'));
    try {
      await a.keyv.set('shared', 'from a');
      await b.keyv.set('shared', 'from b');
      expect(await a.keyv.get('shared')).toBe('from a');
      expect(await b.keyv.get('shared')).toBe('from b');
      await a.keyv.delete('shared');
      expect(await a.keyv.get('shared')).toBeUndefined();
      expect(await b.keyv.get('shared')).toBe('from b');
      if (options.clear === 'namespace') {
        await a.keyv.set('only-a', 1);
        await a.keyv.clear();
        expect(await a.keyv.get('only-a')).toBeUndefined();
        expect(await b.keyv.get('shared')).toBe('from b');
      }
    } finally {
      await a.close();
      await b.close();
    }
  });

  test('two Keyv namespaces over one store instance keep the same key apart', async ({ expect }) => {
    const a = await openKeyv(factory, options, uniqueNamespace('one-a'));
    const b = await openKeyv(factory, options, uniqueNamespace('one-b'), a.store);
    try {
      await a.keyv.set('shared', 'from a');
      await b.keyv.set('shared', 'from b');
      expect(await a.keyv.get('shared')).toBe('from a');
      expect(await b.keyv.get('shared')).toBe('from b');
    } finally {
      await a.close();
    }
  });
};
