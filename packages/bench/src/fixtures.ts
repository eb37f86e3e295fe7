/** The values every suite caches: the same keys and the same objects for every library. */

/** Distinct keys a hit suite cycles through. */
export const KEYS = 1000;

/** A cached value: a small user record, as an API would cache it. */
export interface User {
  id: number;
  name: string;
  email: string;
  roles: string[];
  createdAt: string;
}

/** `KEYS` users, built once. */
export const users: User[] = Array.from({ length: KEYS }, (_, id) => ({
  id,
  name: `user ${id}`,
  email: `user${id}@example.com`,
  roles: ['reader', 'writer'],
  createdAt: '2026-11-01T12:00:00.000Z',
}));

/** The key of user `id`, the same in every library (each adds its own namespace in Redis). */
export function userKey(id: number): string {
  return `user:${id}`;
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The contender for a warm cache: each operation reads key `i % KEYS`; its setup reads every key once
 * and fails if any value is wrong, so no timed hit can be a miss in disguise.
 */
export function warmHits(
  name: string,
  cached: { get(id: number): Promise<User> },
  settle?: () => Promise<void>,
): { name: string; run: (i: number) => Promise<User>; setup: () => Promise<void> } {
  return {
    name,
    run: (i) => cached.get(i % KEYS),
    setup: async () => {
      for (let id = 0; id < KEYS; id++) {
        if ((await cached.get(id)).id !== id) throw new Error(`${name} returned a wrong value`);
      }
      await settle?.();
    },
  };
}
