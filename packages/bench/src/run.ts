/**
 * `pnpm bench`: every suite, in one process, one after the other. `--quick` runs each briefly to check
 * that the suites still work (CI), without meaning anything about speed.
 */
import { main as decoratedHit } from './decorated-hit.js';

await decoratedHit();
