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
