import { type EvictionPolicy, RESERVED_SLOTS } from '../eviction-policy.js';
import { FrequencySketch, hashKey } from '../frequency-sketch.js';
import { growArray } from '../typed-array.js';

/** Sentinels (and region ids) of the three LRU lists; the head of each list is its eldest. */
const WINDOW = 0;
const PROBATION = 1;
const PROTECTED = 2;
/** Fields of a slot in `#nodes`. */
const NEXT = 0;
const PREV = 1;
const HASH = 2;
const META = 3;
/** Bits of `META`, from the lowest: the region (2 bits), the hits not yet in the sketch (4 bits), the last use. */
const REGION_MASK = 0x3;
const HITS_SHIFT = 2;
const HITS_MASK = 0xf << HITS_SHIFT;
const HIT = 1 << HITS_SHIFT;
const USED_SHIFT = 6;
/** `#clock` and the last uses are kept modulo 2²⁶. */
const CLOCK_MASK = 0x3ffffff;
/** A last use this many uses before `#clock` is as far in the past as the clock can tell. */
const FAR_PAST = 0x2000000;
/** Share of the capacity given to the main region at first (the window gets the rest, ~1%). */
const PERCENT_MAIN = 0.99;
/** Share of the main region given to its protected segment. */
const PERCENT_MAIN_PROTECTED = 0.8;
/**
 * A key that lost its duel and comes back within this share of the capacity in inserts, or a main
 * victim that comes back within this share in victims, is a *ghost hit*: evidence that a larger window
 * (respectively main) would have turned that miss into a hit. At 5% the ghost hits came too few to
 * move the window in time: on sprite@500 it stayed under 20% of the cache for the first quarter of
 * the trace (at 30%: 28 to 43%). 20 to 40% all do better than 5%; 30% is best on sprite@500, and 40%
 * costs web07 and oltp@1000 0.1 to 0.2 point.
 */
const GHOST_REACH = 0.3;
/**
 * Most inserts (or victims) a ghost is remembered for: its stamp has 15 bits, so the reach stops growing
 * from about 54,000 entries up (`hit-ratio.test.ts` replays traces scaled past that: no loss).
 */
const GHOST_REACH_LIMIT = 0x3fff;
/**
 * Most ghosts the table holds (2¹⁵, 256 KiB): ghosts within reach are at most `GHOST_REACH_LIMIT`
 * rejected candidates plus as many victims, so past 65,536 entries a larger table would only hold
 * ghosts too old to count. It is what a cache of 65,536 entries gets; a larger one keeps that load.
 */
const GHOST_TABLE_LIMIT_BITS = 15;
/** Bit of a ghost's tag marking a rejected candidate (clear: a main victim). */
const GHOST_REJECTED = 0x8000;
/** Most entries moved between regions in one adjustment. */
const TRANSFER_LIMIT = 1000;
/** A losing candidate at least this frequent is still admitted, at random 1 time in 128. */
const HASH_FLOOD_THRESHOLD = 6;
/** Hits recorded before they are applied to the policy (see `access`). */
const READ_BUFFER = 64;

/**
 * W-TinyLFU, as Caffeine implements it (Einziger, Eytan, Friedman & Manes, "Adaptive Software Cache
 * Management", 2018), with the window sized by ghost hits instead of Caffeine's hill climber:
 *
 * - New entries go to a small LRU *window* (1% of the capacity at first), which absorbs bursts.
 * - The window's eldest overflows into the *probation* segment of the main region, as a *candidate*.
 *   When the cache is full, the candidate duels the eldest of probation (the *victim*): the
 *   {@link FrequencySketch} estimates both keys' recent frequencies and the less frequent one is
 *   evicted. A hit in probation promotes the entry to *protected* (80% of main), whose overflow is
 *   demoted back to probation: segmented LRU.
 * - Adaptive window (see {@link TinyLfuPolicy.insert}): the store remembers the hashes of the keys it
 *   evicted lately, as *ghosts*. A miss on a candidate rejected a moment ago says that a larger window
 *   would have hit: the window takes one entry from main. A miss on a main victim evicted a moment ago
 *   says the opposite: main takes one back. Caffeine instead compares the hit rates of successive
 *   samples of 10 × capacity requests; on non-stationary traces (sprite) the workload moves the hit
 *   rate more than the window does, and that climber wandered, 2 to 3 points below LRU.
 * - Hash flooding: keys are hashed with a random seed, and a losing candidate whose frequency is at
 *   least 6 is admitted at random 1 time in 128, so an attacker cannot pin a victim in the cache.
 * - Speed: hits are buffered and applied in batches before any other call (see
 *   {@link TinyLfuPolicy.access}): the evictions are those of applying each hit at once. A hit is
 *   counted in its entry's slot, not in the sketch, until the entry leaves (see `#hit`).
 */
export class TinyLfuPolicy implements EvictionPolicy {
  readonly name = 'tinylfu';
  /**
   * Four 32-bit fields per slot, side by side so that a hit touches one cache line for the slot's own
   * state (at `slot << 2`): `NEXT` and `PREV` slots in its region's circular list (towards the
   * youngest, towards the eldest), the seeded `HASH` of its key (computed once on insert, so a hit
   * never rehashes the key), and `META`: its region in the low 2 bits, then its hits not yet added to
   * the sketch (4 bits, see `#hit`), and `#clock` at its insert or last hit in the window, modulo 2²⁶
   * (see `#windowHit`).
   */
  #nodes: Int32Array;
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
  /** Most entries in the window, as the ghosts last set it. */
  #windowMax = 0;
  /** Entries in the protected segment. */
  #protectedSize = 0;
  /** Most entries in the protected segment (80% of main, less what the window borrowed). */
  #protectedMax = 0;
  /** The first entry moved from the window to probation since the last insert, or 0. */
  #candidate = 0;
  /**
   * Uses so far, modulo 2²⁶: inserts and hits, except hits in protected (see `#adapt`). The age of an
   * entry is measured in uses.
   */
  #clock = 0;
  /** Inserts so far: the age of a rejected candidate's ghost is measured in inserts. */
  #inserts = 0;
  /** Main victims so far: the age of a victim's ghost is measured in victims. */
  #victims = 0;
  /**
   * Ghosts, direct-mapped by hash (a newer ghost overwrites an older one, except as `#haunt` says),
   * two fields each, side by side: a tag (the hash's high 16 bits, `GHOST_REJECTED` for a rejected
   * candidate, and the 15 low bits of `#inserts` (rejected) or `#victims` (victim) when it left;
   * 0: none), then, for a rejected candidate, its last use.
   */
  #ghosts = new Int32Array(0);
  /** `32 - log2(ghost table length)`, for Fibonacci hashing into the ghost table. */
  #ghostShift = 31;
  /**
   * Most uses since its last one for a rejected candidate's ghost to grow the window: the capacity,
   * but no more than the 26-bit clock tells apart from `FAR_PAST` (see `#adapt`): 33 million.
   */
  #usesReach = 1;
  /** How many inserts (or victims) a ghost counts for: `GHOST_REACH` of the capacity. */
  #ghostReach = 1;
  /** Slots of the hits not applied yet, oldest first: `#reads[0 .. #pending - 1]`. */
  #reads = new Int32Array(READ_BUFFER);
  /** Number of hits in `#reads`. */
  #pending = 0;

  /**
   * `maximum`: the store's entry bound, or 0 when it is bounded only by size; `seed`: fixes the hash
   * seed and the random admission, for reproducible runs only (default: random).
   */
  constructor(capacity: number, maximum: number, seed = (Math.random() * 0x100000000) | 0) {
    this.#seed = seed;
    this.#random = seed | 1;
    this.#nodes = new Int32Array(capacity << 2);
    this.#followsCapacity = maximum === 0;
    this.#maximum = this.#followsCapacity ? capacity - RESERVED_SLOTS : maximum;
    this.#sketch = new FrequencySketch(0);
    this.clear();
  }

  grow(capacity: number): void {
    this.#nodes = growArray(this.#nodes, capacity << 2);
    if (this.#followsCapacity) this.#resize(capacity - RESERVED_SLOTS);
    else this.#sizeGhosts();
  }

  insert(slot: number, key: string): void {
    if (this.#pending !== 0) this.#drain();
    const hash = hashKey(key, this.#seed);
    this.#nodes[(slot << 2) + HASH] = hash;
    this.#sketch.increment(hash);
    this.#clock = (this.#clock + 1) | 0;
    this.#nodes[(slot << 2) + META] = ((this.#clock & CLOCK_MASK) << USED_SHIFT) | WINDOW;
    this.#inserts = (this.#inserts + 1) | 0;
    this.#adapt(hash);
    this.#link(WINDOW, slot);
    this.#windowSize++;
    // A new round of evictions: the window's overflow becomes the candidates, eldest first.
    this.#candidate = 0;
    while (this.#windowSize > this.#windowMax) {
      const eldest = this.#nodes[(WINDOW << 2) + NEXT];
      this.#move(eldest, PROBATION);
      this.#windowSize--;
      if (this.#candidate === 0) this.#candidate = eldest;
    }
  }

  /**
   * A hit is only recorded, in a small buffer, and applied with the hits before it when the buffer is
   * full or before any other call (the read buffer of Caffeine, which has it for concurrency): the
   * hit itself stays small enough for V8 to inline into the store's `get`, and the buffered hits are
   * applied in one tight loop, where the CPU overlaps their memory accesses (sketch, lists). The
   * policy's state is the same as if each hit had been applied at once: every other call drains the
   * buffer first, so no slot in it can have been freed or reused.
   */
  access(slot: number): void {
    const n = this.#pending;
    this.#reads[n] = slot;
    this.#pending = n + 1;
    if (n + 1 === READ_BUFFER) this.#drain();
  }

  /** Applies the buffered hits, in order. */
  #drain(): void {
    const n = this.#pending;
    this.#pending = 0;
    const reads = this.#reads;
    let counted = 0;
    for (let i = 0; i < n; i++) counted += this.#hit(reads[i]);
    if (counted !== 0) this.#sketch.count(counted);
  }

  /**
   * Applies one hit on the entry in `slot`: counts it in the slot's `META`, and moves the entry in its
   * region. Returns 1 if the hit was counted, 0 if the slot's count was at its most (15).
   *
   * The hits reach the sketch when the entry leaves (`#flush`); until then the entry's frequency is
   * the sketch's estimate plus them (`#frequency`): what the sketch would say had each hit been added
   * at once (both saturate at 15), except that keys sharing a counter with it do not see them yet. A
   * hit then touches only the slot's own cache line, which the move in its list reads anyway, and
   * not the sketch's, a likely cache miss. Counted hits count towards the sketch's next halving, and
   * the halving halves them too.
   */
  #hit(slot: number): number {
    const at = (slot << 2) + META;
    const meta = this.#nodes[at];
    let counted = 0;
    if ((meta & HITS_MASK) !== HITS_MASK) {
      this.#nodes[at] = meta + HIT;
      counted = 1;
    }
    const region = meta & REGION_MASK;
    if (region === PROTECTED) {
      // The protected segment is a plain LRU list; its youngest entry stays where it is.
      if (this.#nodes[(slot << 2) + NEXT] !== PROTECTED) this.#toYoungest(slot, PROTECTED);
    } else if (region === PROBATION) {
      this.#promote(slot);
    } else {
      this.#windowHit(slot);
    }
    return counted;
  }

  remove(slot: number): void {
    if (this.#pending !== 0) this.#drain();
    if (slot === this.#candidate) this.#candidate = this.#following(slot);
    this.#flush(slot);
    this.#unlink(slot);
    this.#shrink(slot);
  }

  evict(): number {
    if (this.#pending !== 0) this.#drain();
    let victim = this.#nodes[(PROBATION << 2) + NEXT];
    let candidate = this.#candidate;
    if (victim === PROBATION) {
      // Probation is empty (a tiny cache, or a size bound on big entries): protected, then window.
      victim =
        this.#nodes[(PROTECTED << 2) + NEXT] !== PROTECTED
          ? this.#nodes[(PROTECTED << 2) + NEXT]
          : this.#nodes[(WINDOW << 2) + NEXT];
      if (victim === WINDOW) return 0;
      candidate = 0;
    }
    let evicted = victim;
    if (
      candidate === 0 ||
      candidate === victim ||
      (this.#nodes[(candidate << 2) + META] & REGION_MASK) !== PROBATION
    ) {
      // No duel: nothing left the window this round, or the candidate is the eldest of probation.
      this.#candidate = 0;
    } else {
      // The duel: the candidate replaces the victim only if it is more frequent.
      if (!this.#admit(candidate, victim)) evicted = candidate;
      this.#candidate = this.#following(candidate);
    }
    this.#haunt(evicted, evicted === candidate);
    this.#flush(evicted);
    this.#unlink(evicted);
    this.#shrink(evicted);
    return evicted;
  }

  clear(): void {
    this.#pending = 0;
    for (const sentinel of [WINDOW, PROBATION, PROTECTED]) {
      this.#nodes[(sentinel << 2) + NEXT] = sentinel;
      this.#nodes[(sentinel << 2) + PREV] = sentinel;
    }
    this.#windowSize = 0;
    this.#protectedSize = 0;
    this.#candidate = 0;
    this.#resize(this.#maximum);
  }

  /**
   * Leaves a ghost of the evicted `slot`: a `rejected` candidate (a key new to the cache that lost its
   * duel), or a victim of main (the loser of a duel, or an entry main gave up to the window).
   */
  #haunt(slot: number, rejected: boolean): void {
    const hash = this.#nodes[(slot << 2) + HASH];
    const at = (Math.imul(hash, 0x9e3779b1) >>> this.#ghostShift) << 1;
    if (rejected) {
      // A rejected candidate does not overwrite a victim's ghost still within reach. Candidates are
      // rejected far more often than main evicts, so a victim's ghost, which must last `#ghostReach`
      // victims, would otherwise be overwritten many times more often than a rejected one, which
      // lasts `#ghostReach` inserts: the evidence for main went missing and the window grew too
      // large (oltp@1000 at a fixed 25% window, its best: 3.3 times as many rejected as victim ghost
      // hits, 1.4 times with this rule; adaptive, its hit ratio went from 40.1% to 41.2%).
      const tag = this.#ghosts[at];
      if (tag !== 0 && (tag & GHOST_REJECTED) === 0 && ((this.#victims - tag) & 0x7fff) <= this.#ghostReach)
        return;
      this.#ghosts[at] = (hash & 0xffff0000) | GHOST_REJECTED | (this.#inserts & 0x7fff);
      this.#ghosts[at + 1] = this.#nodes[(slot << 2) + META] >>> USED_SHIFT;
    } else {
      this.#victims = (this.#victims + 1) | 0;
      this.#ghosts[at] = (hash & 0xffff0000) | (this.#victims & 0x7fff);
    }
  }

  /**
   * On a miss on the key whose hash is `hash`: if it is the ghost of a key evicted a moment ago, moves
   * one entry of capacity between window and main, ARC-like, towards the region that would have hit.
   *
   * - A rejected candidate back within `#ghostReach` inserts: a window one entry larger would have kept
   *   it that much longer, so the window grows, up to what Caffeine allows (all of protected). Only if
   *   it was last used at most `maximum` uses ago, though: about as many distinct keys as fit in an
   *   LRU of the whole cache. A loop just longer than the cache brings every rejected key back a few
   *   inserts too late, however large the window (the window's growth shrinks main and makes the loop
   *   longer): without this test the window took 80% of the cache and loop@1000 fell from 97% to 34%
   *   hits. Hits in protected are not uses: they are mostly the same hot keys again. A key leaves the
   *   window about `#windowMax` inserts after its last use; counting every hit, that is about
   *   `#windowMax / miss ratio` uses, so the test held the window near miss ratio × `maximum` whatever
   *   the ghosts said (at sprite@500, 78% hits, 56% of the rejected keys back within reach failed it;
   *   that trace wants a window of 60%). A loop hits in probation only (each entry comes back after
   *   all the others), so there the test is unchanged.
   * - A main victim back within `#ghostReach` victims: the window shrinks, down to its initial 1%.
   */
  #adapt(hash: number): void {
    const at = (Math.imul(hash, 0x9e3779b1) >>> this.#ghostShift) << 1;
    const tag = this.#ghosts[at];
    if (tag === 0 || ((tag ^ hash) & 0xffff0000) !== 0) return;
    this.#ghosts[at] = 0;
    if ((tag & GHOST_REJECTED) !== 0) {
      if (((this.#inserts - tag) & 0x7fff) > this.#ghostReach) return;
      if (((this.#clock - this.#ghosts[at + 1]) & CLOCK_MASK) > this.#usesReach) return;
      this.#increaseWindow(1);
    } else if (((this.#victims - tag) & 0x7fff) <= this.#ghostReach) {
      if (this.#windowMax > this.#initialWindow()) this.#decreaseWindow(1);
    }
  }

  /** Whether the candidate (a key leaving the window) should replace the victim (eldest of probation). */
  #admit(candidate: number, victim: number): boolean {
    const candidateFrequency = this.#frequency(candidate);
    if (candidateFrequency > this.#frequency(victim)) return true;
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
   * Moves up to `quota` capacity from protected to the window, with the eldest main entries. Their
   * last use is set far in the past: if one leaves the window unused and comes back, a larger window
   * would not have helped (main had it), and its ghost will not count for the window.
   */
  #increaseWindow(quota: number): void {
    quota = Math.min(quota, this.#protectedMax);
    this.#protectedMax -= quota;
    this.#windowMax += quota;
    while (this.#protectedSize > this.#protectedMax) this.#demoteProtected();
    for (let moved = 0; moved < TRANSFER_LIMIT && quota > 0; moved++) {
      let slot = this.#nodes[(PROBATION << 2) + NEXT];
      if (slot === PROBATION) {
        slot = this.#nodes[(PROTECTED << 2) + NEXT];
        if (slot === PROTECTED) break;
        this.#protectedSize--;
      }
      if (slot === this.#candidate) this.#candidate = 0;
      this.#move(slot, WINDOW);
      this.#setUsed(slot, this.#clock - FAR_PAST);
      this.#windowSize++;
      quota--;
    }
    // Capacity that found no entry to carry goes back to main.
    this.#protectedMax += quota;
    this.#windowMax -= quota;
  }

  /**
   * Moves up to `quota` capacity from the window to protected, with the window's eldest entries. They
   * go to the eldest end of probation, in order, as the next victims: they skipped their duel as
   * candidates, so they meet it as victims (at the youngest end, every shrink admitted a window entry
   * unchallenged: 2_pools@100 lost 0.3 point).
   */
  #decreaseWindow(quota: number): void {
    quota = Math.min(quota, Math.max(0, this.#windowMax - this.#initialWindow()));
    this.#protectedMax += quota;
    this.#windowMax -= quota;
    let before = PROBATION;
    for (let moved = 0; moved < TRANSFER_LIMIT && quota > 0; moved++) {
      const slot = this.#nodes[(WINDOW << 2) + NEXT];
      if (slot === WINDOW) break;
      this.#unlink(slot);
      this.#setRegion(slot, PROBATION);
      this.#linkAfter(before, slot);
      before = slot;
      this.#windowSize--;
      quota--;
    }
    this.#protectedMax -= quota;
    this.#windowMax += quota;
  }
  /** A hit on probation: the entry moves to protected, whose eldest makes room. */
  #promote(slot: number): void {
    this.#clock = (this.#clock + 1) | 0;
    this.#move(slot, PROTECTED);
    this.#protectedSize++;
    if (this.#protectedSize > this.#protectedMax) this.#demoteProtected();
  }

  /**
   * A hit in the window (a plain LRU list). Only window entries record their last use: an entry
   * leaves the window unused since its insert or its last window hit, and only that age matters to
   * its ghost (see `#adapt`).
   */
  #windowHit(slot: number): void {
    this.#clock = (this.#clock + 1) | 0;
    this.#setUsed(slot, this.#clock);
    if (this.#nodes[(slot << 2) + NEXT] !== WINDOW) this.#toYoungest(slot, WINDOW);
  }

  /** Estimated recent frequency of the key of the entry in `slot`, 0 to 15 (see `#hit`). */
  #frequency(slot: number): number {
    const hits = (this.#nodes[(slot << 2) + META] & HITS_MASK) >>> HITS_SHIFT;
    return Math.min(15, this.#sketch.frequency(this.#nodes[(slot << 2) + HASH]) + hits);
  }

  /** Adds the hits of the entry in `slot`, which is leaving, to the sketch, so that its key keeps them. */
  #flush(slot: number): void {
    const hits = (this.#nodes[(slot << 2) + META] & HITS_MASK) >>> HITS_SHIFT;
    if (hits !== 0) this.#sketch.add(this.#nodes[(slot << 2) + HASH], hits);
  }

  /** Moves the protected segment's eldest entry to the youngest end of probation. */
  #demoteProtected(): void {
    const eldest = this.#nodes[(PROTECTED << 2) + NEXT];
    if (eldest === PROTECTED) return;
    this.#move(eldest, PROBATION);
    this.#protectedSize--;
  }

  /** The window's size at first: 1% of the capacity, at least 1 entry. */
  #initialWindow(): number {
    return this.#maximum - Math.floor(PERCENT_MAIN * this.#maximum);
  }

  /**
   * Sets the capacity and resets the regions' maxima, the sketch and the ghosts. The ghost table has
   * a power-of-two length of 0.5 to 1 × the capacity (4 to 8 bytes per entry of capacity), up to
   * 2¹⁵ ghosts (see `GHOST_TABLE_LIMIT_BITS`: 0.26 bytes per entry at a million).
   */
  #resize(maximum: number): void {
    this.#maximum = Math.max(1, maximum);
    this.#usesReach = Math.min(this.#maximum, FAR_PAST - 1);
    this.#windowMax = this.#initialWindow();
    this.#protectedMax = Math.floor(PERCENT_MAIN_PROTECTED * (this.#maximum - this.#windowMax));
    this.#sketch = new FrequencySketch(this.#maximum, () => halveHits(this.#nodes));
    this.#ghostReach = Math.min(GHOST_REACH_LIMIT, Math.ceil(GHOST_REACH * this.#maximum));
    this.#ghosts = new Int32Array(0);
    this.#sizeGhosts();
    while (this.#protectedSize > this.#protectedMax) this.#demoteProtected();
  }

  /**
   * (Re)allocates the ghost table, empty, for the slots there are: nothing is evicted before the slot
   * arrays have grown to the bound, so a store far from full does not pay for the ghosts of a full one.
   */
  #sizeGhosts(): void {
    const entries = Math.min(this.#maximum, (this.#nodes.length >> 2) - RESERVED_SLOTS);
    const bits = Math.min(GHOST_TABLE_LIMIT_BITS, Math.max(1, Math.ceil(Math.log2(entries / 2))));
    if (this.#ghosts.length === 2 ** (bits + 1)) return;
    this.#ghosts = new Int32Array(2 ** (bits + 1));
    this.#ghostShift = 32 - bits;
  }

  /** Updates the region counters for `slot`, which just left its list. */
  #shrink(slot: number): void {
    const region = this.#nodes[(slot << 2) + META] & REGION_MASK;
    if (region === WINDOW) this.#windowSize--;
    else if (region === PROTECTED) this.#protectedSize--;
  }

  /** The entry after `slot` in probation (towards the youngest), or 0 at the end. */
  #following(slot: number): number {
    const after = this.#nodes[(slot << 2) + NEXT];
    return after === PROBATION ? 0 : after;
  }

  /** Moves `slot` to the youngest end of `region`'s list. */
  #move(slot: number, region: number): void {
    this.#unlink(slot);
    this.#setRegion(slot, region);
    this.#link(region, slot);
  }

  /** Moves `slot` to the youngest end of its own list, whose sentinel is `sentinel`. */
  #toYoungest(slot: number, sentinel: number): void {
    this.#unlink(slot);
    this.#link(sentinel, slot);
  }

  /** Appends `slot` at the youngest end of the list whose sentinel is `sentinel`. */
  #link(sentinel: number, slot: number): void {
    const tail = this.#nodes[(sentinel << 2) + PREV];
    this.#nodes[(tail << 2) + NEXT] = slot;
    this.#nodes[(slot << 2) + PREV] = tail;
    this.#nodes[(slot << 2) + NEXT] = sentinel;
    this.#nodes[(sentinel << 2) + PREV] = slot;
  }

  /** Inserts `slot` right after `before` (towards the youngest), in `before`'s list. */
  #linkAfter(before: number, slot: number): void {
    const after = this.#nodes[(before << 2) + NEXT];
    this.#nodes[(slot << 2) + PREV] = before;
    this.#nodes[(slot << 2) + NEXT] = after;
    this.#nodes[(after << 2) + PREV] = slot;
    this.#nodes[(before << 2) + NEXT] = slot;
  }

  /** Sets the region of `slot`, keeping the rest of its `META`. */
  #setRegion(slot: number, region: number): void {
    const at = (slot << 2) + META;
    this.#nodes[at] = (this.#nodes[at] & ~REGION_MASK) | region;
  }

  /** Sets the last use of `slot` (a `#clock` value), keeping the rest of its `META`. */
  #setUsed(slot: number, clock: number): void {
    const at = (slot << 2) + META;
    this.#nodes[at] = ((clock & CLOCK_MASK) << USED_SHIFT) | (this.#nodes[at] & ((1 << USED_SHIFT) - 1));
  }

  /** Takes `slot` out of its list. */
  #unlink(slot: number): void {
    const before = this.#nodes[(slot << 2) + PREV];
    const after = this.#nodes[(slot << 2) + NEXT];
    this.#nodes[(before << 2) + NEXT] = after;
    this.#nodes[(after << 2) + PREV] = before;
  }
}

/**
 * Halves the hits not yet in the sketch in the `META` of every slot of `nodes`, as the sketch halves its
 * counters. A module function, like `halveCounters` in the sketch, so that V8 keeps its loop optimized
 * between the rare calls.
 */
function halveHits(nodes: Int32Array): void {
  // The count shifted down one bit, less the bit that came down into it from the last use.
  const halved = (HITS_MASK >>> 1) & HITS_MASK;
  for (let at = META; at < nodes.length; at += 4) {
    const meta = nodes[at];
    nodes[at] = (meta & ~HITS_MASK) | ((meta >>> 1) & halved);
  }
}
