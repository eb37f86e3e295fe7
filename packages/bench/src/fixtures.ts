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
