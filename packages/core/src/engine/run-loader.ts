import type { Policy } from '../cache-options.js';
import { LoaderTimeoutError } from '../errors.js';
import type { Envelope } from '../types.js';

/** What the loader run tells its load about timeouts. */
export interface LoaderHooks {
  /** A stale value may stand in: called past `soft` (when there is one), or past `hard`. */
  standIn(stale: Envelope): void;
  /** Past `hard` with nothing to stand in. */
  reject(error: unknown): void;
}

/**
 * Runs a loader under the policy's soft and hard timeouts. Past `soft`, callers get `stale` (if any)
 * while the loader goes on; past `hard`, they get `stale` (if still inside its grace) or a
 * {@link LoaderTimeoutError}. Either way the returned promise is the loader's own, so its eventual
 * result can still be cached.
 */
export async function runLoader<T>(
  key: string,
  policy: Policy,
  fn: (...args: any[]) => T | Promise<T>,
  self: unknown,
  args: readonly unknown[],
  stale: Envelope | undefined,
  hooks: LoaderHooks,
): Promise<T> {
  // Through a promise, so that a loader that throws synchronously rejects like an async one.
  const pending = Promise.resolve().then(() => fn.apply(self, args as unknown[]));
  if (policy.soft === 0 && policy.hard === 0) return pending;
  const timers: NodeJS.Timeout[] = [];
  if (policy.soft > 0 && stale !== undefined) {
    timers.push(setTimeout(() => hooks.standIn(stale), policy.soft));
  }
  if (policy.hard > 0) {
    timers.push(
      setTimeout(() => {
        if (stale !== undefined && stale.h > Date.now()) hooks.standIn(stale);
        else hooks.reject(new LoaderTimeoutError(key, policy.hard));
      }, policy.hard),
    );
  }
  try {
    return await pending;
  } finally {
    for (const timer of timers) clearTimeout(timer);
  }
}

/**
 * Whether a hit on `envelope` at `now` should refresh it early: past its refresh-ahead point, or by
 * XFetch's draw (refresh when `now - d·β·ln(rand) ≥ expiry`, d the loader's duration).
 */
export function refreshDue(envelope: Envelope, policy: Policy, now: number): boolean {
  if (policy.refreshAhead > 0 && now >= envelope.s - policy.ttl * (1 - policy.refreshAhead)) return true;
  if (policy.beta > 0 && envelope.d !== undefined) {
    return now - envelope.d * policy.beta * Math.log(Math.random()) >= envelope.s;
  }
  return false;
}

/** From when a hit may need {@link refreshDue} (the envelope's `r`), or undefined when never. */
export function refreshFrom(policy: Policy, soft: number, ttl: number, duration: number): number | undefined {
  let from: number | undefined;
  if (policy.refreshAhead > 0) from = soft - ttl * (1 - policy.refreshAhead);
  // XFetch refreshes before `soft - 5·d·β` with probability under e^-5 (0.7%): not worth a draw per hit.
  if (policy.beta > 0 && duration > 0) {
    const xfetch = soft - 5 * duration * policy.beta;
    from = from === undefined ? xfetch : Math.min(from, xfetch);
  }
  return from;
}
