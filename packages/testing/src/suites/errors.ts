import { FaultInjectedError } from '../errors.js';
import { FaultyStore } from '../faulty-store.js';
import type { Suite } from '../types.js';
import { openKeyv, settleWithin, uniqueNamespace, withKeyv } from './context.js';

/**
 * A failing store surfaces as a rejection (`throwOnErrors`) or an 'error' event, never as a hang.
 * Injected faults always run; a real backend failure runs when the options give `fail`.
 */
export const errorsSuite: Suite = (test, factory, options) => {
  test('an injected store error rejects with throwOnErrors, and is reported without it', async ({
    expect,
  }) => {
    const inner = await factory();
    const store = new FaultyStore(inner);
    const { keyv, errors, close } = await openKeyv(factory, options, uniqueNamespace('fault'), store);
    try {
      await keyv.set('key', 'value');
      store.fail('throw');
      keyv.throwOnErrors = true;
      await expect(keyv.get('key')).rejects.toBeInstanceOf(FaultInjectedError);
      await expect(keyv.set('key', 'other')).rejects.toBeInstanceOf(FaultInjectedError);
      keyv.throwOnErrors = false;
      expect(await keyv.set('key', 'other')).toBe(false);
      expect(errors.some((error) => error instanceof FaultInjectedError)).toBe(true);
      store.heal();
      expect(await keyv.get('key')).toBe('value');
    } finally {
      await close();
    }
  });

  test('dropped writes are lost, delayed calls arrive late, hung calls resume on heal', async ({
    expect,
  }) => {
    const store = new FaultyStore(await factory());
    const { keyv, close } = await openKeyv(factory, options, uniqueNamespace('fault'), store);
    try {
      store.fail('drop');
      await keyv.set('dropped', 1);
      store.fail('delay', { ms: 150 });
      const started = performance.now();
      expect(await keyv.get('dropped')).toBeUndefined();
      expect(performance.now() - started).toBeGreaterThanOrEqual(140);
      store.fail('hang', { operations: ['set'] });
      const hung = keyv.set('hung', 2);
      expect((await settleWithin(hung, 200)).state).toBe('pending');
      store.heal();
      await hung;
      expect(await keyv.get('hung')).toBe(2);
    } finally {
      await close();
    }
  });

  const fail = options.fail;
  if (fail !== undefined) {
    test(
      'when the backend fails, every call settles in time and the failure is reported',
      async ({ expect }) => {
        await withKeyv(factory, options, async ({ keyv, store, errors }) => {
          await keyv.set('key', 'value');
          await fail(store);
          const calls: Record<string, () => Promise<unknown>> = {
            get: () => keyv.get('key'),
            set: () => keyv.set('key', 'other'),
            delete: () => keyv.delete('key'),
            getMany: () => keyv.getMany(['key', 'other']),
          };
          let rejected = 0;
          for (const [name, call] of Object.entries(calls)) {
            const outcome = await settleWithin(call(), options.timeout);
            expect(outcome.state, `${name}() hung for ${options.timeout} ms`).not.toBe('pending');
            if (outcome.state === 'rejected') rejected++;
            else if (name === 'set') expect(outcome.state === 'resolved' && outcome.value).toBe(false);
          }
          keyv.throwOnErrors = true;
          const strict = await settleWithin(keyv.get('key'), options.timeout);
          expect(strict.state).toBe('rejected');
          expect(rejected + errors.length).toBeGreaterThan(0);
        });
      },
      options.timeout * 6 + 5000,
    );
  }
};
