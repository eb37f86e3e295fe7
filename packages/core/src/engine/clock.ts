/** The last time handed out, so that times within one process strictly increase. */
let last = 0;

/**
 * Wall-clock epoch ms, strictly increasing within the process (ties get a microsecond more). Entry
 * creation and tag invalidation times come from here, so that an invalidation and a load in the same
 * millisecond are still ordered.
 */
export function tick(): number {
  const now = Date.now();
  last = now > last ? now : last + 0.001;
  return last;
}

/** The time `coarseNow` hands out, 0 when it must be read again. */
let coarse = 0;

/**
 * Wall-clock epoch ms, read at most about once a millisecond: the first call reads `Date.now()` and
 * schedules a 1 ms timer that forgets it; calls until then reuse it. For the memory-hit path, where
 * reading the clock is a measurable part of the cost; a fresh entry may be served up to about a
 * millisecond (one turn of a busy event loop) past its TTL.
 */
export function coarseNow(): number {
  if (coarse === 0) {
    coarse = Date.now();
    setTimeout(forget, 1).unref();
  }
  return coarse;
}

function forget(): void {
  coarse = 0;
}
