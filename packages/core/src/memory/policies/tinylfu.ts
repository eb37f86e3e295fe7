import { type EvictionPolicy, RESERVED_SLOTS } from '../eviction-policy.js';
import { FrequencySketch, hashKey } from '../frequency-sketch.js';
import { growArray } from '../typed-array.js';

/** Sentinels (and region ids) of the three LRU lists; the head of each list is its eldest. */
const WINDOW = 0;
const PROBATION = 1;
const PROTECTED = 2;
/** Share of the capacity given to the main region at first (the window gets the rest, ~1%). */
const PERCENT_MAIN = 0.99;
/** Share of the main region given to its protected segment. */
const PERCENT_MAIN_PROTECTED = 0.8;
/** A change of hit rate between two samples this large restarts the climber with a full step. */
const RESTART_THRESHOLD = 0.05;
/** Full step of the climber, as a share of the capacity. */
const STEP_PERCENT = 0.0625;
/** Each sample, a step that did not restart shrinks by this factor. */
const STEP_DECAY = 0.98;
/** Most entries moved between regions in one adjustment. */
const TRANSFER_LIMIT = 1000;
/** A losing candidate at least this frequent is still admitted, at random 1 time in 128. */
const HASH_FLOOD_THRESHOLD = 6;

/**
 * W-TinyLFU, as Caffeine implements it (Einziger, Eytan, Friedman & Manes, "Adaptive Software Cache
 * Management", 2018):
 *
 * - New entries go to a small LRU *window* (1% of the capacity at first), which absorbs bursts.
 * - The window's eldest overflows into the *probation* segment of the main region, as a *candidate*.
 *   When the cache is full, the candidate duels the eldest of probation (the *victim*): the
 *   {@link FrequencySketch} estimates both keys' recent frequencies and the less frequent one is
 *   evicted. A hit in probation promotes the entry to *protected* (80% of main), whose overflow is
 *   demoted back to probation: segmented LRU.
 * - Every sample (10 × capacity requests) a hill climber compares the hit rate with the previous
 *   sample's and moves capacity between window and main in the direction that helped, with a step that
 *   decays, and restarts when the workload changes: recency-biased traces get a large window,
 *   frequency-biased ones a small one.
 * - Hash flooding: keys are hashed with a random seed, and a losing candidate whose frequency is at
 *   least 6 is admitted at random 1 time in 128, so an attacker cannot pin a victim in the cache.
 */
export class TinyLfuPolicy implements EvictionPolicy {
  readonly name = 'tinylfu';
  /** Next slot towards the youngest end of its region's circular list. */
  #next: Uint32Array;
  /** Previous slot towards the eldest end. */
  #prev: Uint32Array;
  /** Region (`WINDOW`, `PROBATION`, `PROTECTED`) of each slot. */
  #region: Uint8Array;
  /** Seeded hash of each slot's key, computed once on insert so a hit never rehashes the key. */
  #hashes: Int32Array;
  /** Recent frequencies of keys, in the cache or not. */
  #sketch: FrequencySketch;
  /** Seed of the key hash: random, so that no one can precompute colliding keys. */
  #seed: number;
  /** State of the xorshift generator behind the random admission. */
  #random: number;
  /** Capacity in entries; when the store is bounded only by size, it follows the slot capacity. */
  #maximum = 0;
  /** Whether `#maximum` follows the slot capacity. */
  #followsCapacity: boolean;
  /** Entries in the window. */
  #windowSize = 0;
  /** Most entries in the window, as the climber last set it. */
  #windowMax = 0;
  /** Entries in the protected segment. */
  #protectedSize = 0;
  /** Most entries in the protected segment (80% of main, less what the window borrowed). */
  #protectedMax = 0;
  /** The first entry moved from the window to probation since the last insert, or 0. */
  #candidate = 0;
  /** Whether the store has evicted yet: the climber waits for a full cache. */
  #full = false;
  /** Hits in the current sample of the climber. */
  #hitsInSample = 0;
  /** Misses (inserts) in the current sample of the climber. */
  #missesInSample = 0;
  /** Hit rate of the previous sample. */
  #previousHitRate = 0;
  /** Signed size of the climber's next step, in entries. */
  #stepSize = 0;

  /**
   * `maximum`: the store's entry bound, or 0 when it is bounded only by size; `seed`: fixes the hash
   * seed and the random admission, for reproducible runs only (default: random).
   */
  constructor(capacity: number, maximum: number, seed = (Math.random() * 0x100000000) | 0) {
    this.#seed = seed;
    this.#random = seed | 1;
    this.#next = new Uint32Array(capacity);
    this.#prev = new Uint32Array(capacity);
    this.#region = new Uint8Array(capacity);
    this.#hashes = new Int32Array(capacity);
    this.#followsCapacity = maximum === 0;
    this.#maximum = this.#followsCapacity ? capacity - RESERVED_SLOTS : maximum;
    this.#sketch = new FrequencySketch(0);
    this.clear();
  }

  grow(capacity: number): void {
    this.#next = growArray(this.#next, capacity);
    this.#prev = growArray(this.#prev, capacity);
    this.#region = growArray(this.#region, capacity);
    this.#hashes = growArray(this.#hashes, capacity);
    if (this.#followsCapacity) this.#resize(capacity - RESERVED_SLOTS);
  }

  insert(slot: number, key: string): void {
    const hash = hashKey(key, this.#seed);
    this.#hashes[slot] = hash;
    this.#sketch.increment(hash);
    this.#region[slot] = WINDOW;
    this.#link(WINDOW, slot);
    this.#windowSize++;
    this.#missesInSample++;
    // A new round of evictions: the window's overflow becomes the candidates, eldest first.
    this.#candidate = 0;
    while (this.#windowSize > this.#windowMax) {
      const eldest = this.#next[WINDOW];
      this.#move(eldest, PROBATION);
      this.#windowSize--;
      if (this.#candidate === 0) this.#candidate = eldest;
    }
    if (this.#hitsInSample + this.#missesInSample >= this.#sketch.sampleSize) this.#climb();
  }

  access(slot: number): void {
    this.#sketch.increment(this.#hashes[slot]);
    this.#hitsInSample++;
    const region = this.#region[slot];
    if (region === PROBATION) {
      // Seen again while on probation: promote; the protected segment's eldest makes room.
      this.#move(slot, PROTECTED);
      this.#protectedSize++;
      if (this.#protectedSize > this.#protectedMax) this.#demoteProtected();
    } else if (this.#next[slot] !== region) {
      // Window and protected are plain LRU lists (the sentinel id equals the region id).
      this.#move(slot, region);
    }
  }

  remove(slot: number): void {
    if (slot === this.#candidate) this.#candidate = this.#following(slot);
    this.#unlink(slot);
    this.#shrink(slot);
  }

  evict(): number {
    this.#full = true;
    let victim = this.#next[PROBATION];
    let candidate = this.#candidate;
    if (victim === PROBATION) {
      // Probation is empty (a tiny cache, or a size bound on big entries): protected, then window.
      victim = this.#next[PROTECTED] !== PROTECTED ? this.#next[PROTECTED] : this.#next[WINDOW];
      if (victim === WINDOW) return 0;
      candidate = 0;
    }
    let evicted = victim;
    if (candidate === 0 || candidate === victim || this.#region[candidate] !== PROBATION) {
      // No duel: nothing left the window this round, or the candidate is the eldest of probation.
      this.#candidate = 0;
    } else {
      // The duel: the candidate replaces the victim only if it is more frequent.
      if (!this.#admit(this.#hashes[candidate], this.#hashes[victim])) evicted = candidate;
      this.#candidate = this.#following(candidate);
    }
    this.#unlink(evicted);
    this.#shrink(evicted);
    return evicted;
  }

  clear(): void {
    for (const sentinel of [WINDOW, PROBATION, PROTECTED]) {
      this.#next[sentinel] = sentinel;
      this.#prev[sentinel] = sentinel;
    }
    this.#windowSize = 0;
    this.#protectedSize = 0;
    this.#candidate = 0;
    this.#full = false;
    this.#resize(this.#maximum);
  }

  /** Whether the candidate (a key leaving the window) should replace the victim (eldest of probation). */
  #admit(candidateHash: number, victimHash: number): boolean {
    const candidateFrequency = this.#sketch.frequency(candidateHash);
    if (candidateFrequency > this.#sketch.frequency(victimHash)) return true;
    if (candidateFrequency < HASH_FLOOD_THRESHOLD) return false;
    // A warm candidate losing to a hot victim may be an attack keeping the victim hot: admit 1 in 128.
    let x = this.#random;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#random = x;
    return (x & 127) === 0;
  }

  /**
   * The hill climber (Caffeine's `climb`): at the end of each sample, step the window size in the
   * direction that raised the hit rate, or back if it fell.
   */
  #climb(): void {
    const requests = this.#hitsInSample + this.#missesInSample;
    const hitRate = this.#hitsInSample / requests;
    this.#hitsInSample = 0;
    this.#missesInSample = 0;
    if (!this.#full) return;
    const change = hitRate - this.#previousHitRate;
    const amount = change >= 0 ? this.#stepSize : -this.#stepSize;
    this.#stepSize =
      Math.abs(change) >= RESTART_THRESHOLD
        ? STEP_PERCENT * this.#maximum * (amount >= 0 ? 1 : -1)
        : STEP_DECAY * amount;
    this.#previousHitRate = hitRate;
    const adjustment = Math.trunc(amount);
    if (adjustment > 0) this.#increaseWindow(adjustment);
    else if (adjustment < 0) this.#decreaseWindow(-adjustment);
  }

  /** Moves up to `quota` capacity from protected to the window, with the eldest main entries. */
  #increaseWindow(quota: number): void {
    quota = Math.min(quota, this.#protectedMax);
    this.#protectedMax -= quota;
    this.#windowMax += quota;
    while (this.#protectedSize > this.#protectedMax) this.#demoteProtected();
    for (let moved = 0; moved < TRANSFER_LIMIT && quota > 0; moved++) {
      let slot = this.#next[PROBATION];
      if (slot === PROBATION) {
        slot = this.#next[PROTECTED];
        if (slot === PROTECTED) break;
        this.#protectedSize--;
      }
      if (slot === this.#candidate) this.#candidate = 0;
      this.#move(slot, WINDOW);
      this.#windowSize++;
      quota--;
    }
    // Capacity that found no entry to carry goes back to main.
    this.#protectedMax += quota;
    this.#windowMax -= quota;
  }

  /** Moves up to `quota` capacity from the window to protected, with the window's eldest entries. */
  #decreaseWindow(quota: number): void {
    // Unlike Caffeine, the window never shrinks below its initial 1%, and a step that would take it
    // lower turns the climber around (a reflecting floor). On short or warming-up traces the hit rate
    // rises whatever the climber does; Caffeine's climber credits that rise to its shrinking steps, and
    // sits at a window of 1 entry, a no-op it keeps repeating (web07 loses 3 to 4 points that way).
    quota = Math.min(quota, Math.max(0, this.#windowMax - this.#initialWindow()));
    if (quota === 0) this.#stepSize = Math.abs(this.#stepSize);
    this.#protectedMax += quota;
    this.#windowMax -= quota;
    for (let moved = 0; moved < TRANSFER_LIMIT && quota > 0; moved++) {
      const slot = this.#next[WINDOW];
      if (slot === WINDOW) break;
      this.#move(slot, PROBATION);
      this.#windowSize--;
      quota--;
    }
    this.#protectedMax -= quota;
    this.#windowMax += quota;
  }

  /** Moves the protected segment's eldest entry to the youngest end of probation. */
  #demoteProtected(): void {
    const eldest = this.#next[PROTECTED];
    if (eldest === PROTECTED) return;
    this.#move(eldest, PROBATION);
    this.#protectedSize--;
  }

  /** The window's size at first: 1% of the capacity, at least 1 entry. */
  #initialWindow(): number {
    return this.#maximum - Math.floor(PERCENT_MAIN * this.#maximum);
  }

  /** Sets the capacity and resets the regions' maxima and the climber to their initial values. */
  #resize(maximum: number): void {
    this.#maximum = Math.max(1, maximum);
    this.#windowMax = this.#initialWindow();
    this.#protectedMax = Math.floor(PERCENT_MAIN_PROTECTED * (this.#maximum - this.#windowMax));
    this.#stepSize = -STEP_PERCENT * this.#maximum;
    this.#previousHitRate = 0;
    this.#hitsInSample = 0;
    this.#missesInSample = 0;
    this.#sketch = new FrequencySketch(this.#maximum);
    while (this.#protectedSize > this.#protectedMax) this.#demoteProtected();
  }

  /** Updates the region counters for `slot`, which just left its list. */
  #shrink(slot: number): void {
    const region = this.#region[slot];
    if (region === WINDOW) this.#windowSize--;
    else if (region === PROTECTED) this.#protectedSize--;
  }

  /** The entry after `slot` in probation (towards the youngest), or 0 at the end. */
  #following(slot: number): number {
    const after = this.#next[slot];
    return after === PROBATION ? 0 : after;
  }

  /** Moves `slot` to the youngest end of `region`'s list. */
  #move(slot: number, region: number): void {
    this.#unlink(slot);
    this.#region[slot] = region;
    this.#link(region, slot);
  }

  /** Appends `slot` at the youngest end of the list whose sentinel is `sentinel`. */
  #link(sentinel: number, slot: number): void {
    const tail = this.#prev[sentinel];
    this.#next[tail] = slot;
    this.#prev[slot] = tail;
    this.#next[slot] = sentinel;
    this.#prev[sentinel] = slot;
  }

  /** Takes `slot` out of its list. */
  #unlink(slot: number): void {
    const before = this.#prev[slot];
    const after = this.#next[slot];
    this.#next[before] = after;
    this.#prev[after] = before;
  }
}
