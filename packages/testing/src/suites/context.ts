import type { AnyStore } from '../faulty-store.js';
import type { ResolvedOptions, StoreFactory } from '../types.js';

/** A Keyv over a fresh store from the factory, in a namespace of its own, with its errors collected. */
export interface KeyvContext {
  keyv: any;
  store: AnyStore;
  namespace: string;
  /** Everything Keyv emitted as 'error'. */
  errors: unknown[];
  /** Disconnects the store (errors ignored). */
  close(): Promise<void>;
}

let counter = 0;

/** A namespace no other test uses, so tests sharing one server never see each other's keys. */
export function uniqueNamespace(label = 'conf'): string {
  counter++;
  return `cachet-${label}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}

/** Opens a Keyv over `store` (or a fresh one from `factory`) in `namespace`. */
export async function openKeyv(
  factory: StoreFactory,
  options: ResolvedOptions,
  namespace = uniqueNamespace(),
  store?: AnyStore,
): Promise<KeyvContext> {
  const theStore = store ?? (await factory());
  const keyv = new options.keyv({ store: theStore, namespace });
  const errors: unknown[] = [];
  // keyv 6 throws on an 'error' event without a listener; always listen.
  keyv.on('error', (error: unknown) => errors.push(error));
  return {
    keyv,
    store: theStore,
    namespace,
    errors,
    close: async () => {
      try {
        if (typeof theStore.disconnect === 'function') await theStore.disconnect();
      } catch {
        // already closed or never connected
      }
    },
  };
}

/** Runs `fn` with a fresh Keyv context and always closes it. */
export async function withKeyv(
  factory: StoreFactory,
  options: ResolvedOptions,
  fn: (context: KeyvContext) => Promise<void>,
): Promise<void> {
  const context = await openKeyv(factory, options);
  try {
    await fn(context);
  } finally {
    await context.close();
  }
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** What a promise did within `ms`: resolved, rejected, or still pending (a hang). */
export async function settleWithin<T>(
  promise: Promise<T> | T,
  ms: number,
): Promise<{ state: 'resolved'; value: T } | { state: 'rejected'; error: unknown } | { state: 'pending' }> {
  let timer: NodeJS.Timeout | undefined;
  const pending = new Promise<{ state: 'pending' }>((resolve) => {
    timer = setTimeout(() => resolve({ state: 'pending' }), ms);
  });
  const settled = Promise.resolve(promise).then(
    (value) => ({ state: 'resolved' as const, value }),
    (error: unknown) => ({ state: 'rejected' as const, error }),
  );
  try {
    return await Promise.race([settled, pending]);
  } finally {
    clearTimeout(timer);
  }
}

/** Whether a raw store read means "absent" (stores differ: undefined, null, or `{ value: undefined }`). */
export function isAbsent(raw: unknown): boolean {
  if (raw === undefined || raw === null) return true;
  return typeof raw === 'object' && 'value' in raw && (raw as { value: unknown }).value === undefined;
}
