/**
 * A call being timed: `promise` settles like the call, or rejects at its deadline. Hand it back to
 * {@link Deadlines.finish} once `promise` settled.
 */
export interface Timed<T> {
  readonly promise: Promise<T>;
}

/** One call waiting for its deadline. */
interface Waiting<T = unknown> {
  /** Settles like the call, or rejects at the deadline; dropped once finished. */
  promise: Promise<T>;
  /** The sweep at which it times out. */
  due: number;
  /** Set once the call settled: the sweep skips it. */
  done: boolean;
  /** Rejects `promise`; dropped once settled, so that a stuck call ahead keeps nothing alive. */
  reject: ((error: Error) => void) | undefined;
  /** Builds the timeout error. */
  error: (() => Error) | undefined;
}

/** What a finished call's `promise` is replaced with, so that a queue held back keeps no values alive. */
const FINISHED: Promise<never> = new Promise<never>(() => {});

/** The resolving functions `capture` took from the last `new Promise(capture)`. */
let resolveCaptured: (value: never) => void = () => {};
let rejectCaptured: (error: Error) => void = () => {};

/** A Promise executor that hands out its resolving functions: no closure per promise. */
function capture(resolve: (value: never) => void, reject: (error: Error) => void): void {
  resolveCaptured = resolve;
  rejectCaptured = reject;
}

/**
 * One time limit (`timeout` ms) for many calls, from one timer. A `setTimeout` per store call costs
 * more than the call's own JavaScript on a fast store; here a call joins a queue, and one interval,
 * running only while calls wait, rejects those past their deadline.
 *
 * Every call has the same limit, so deadlines come in call order: the queue is a plain array read from
 * its head, and nothing is looked up or read from the clock per call. The interval counts sweeps; a
 * call times out at the first sweep at least `timeout` ms after it started (at most one sweep period,
 * `resolution`, later; more if the event loop is blocked).
 */
export class Deadlines {
  /** Calls in the order they started; those before `#head` are gone. */
  #queue: Waiting[] = [];
  /** Index of the oldest call still in the queue. */
  #head = 0;
  /** Sweeps so far. */
  #sweeps = 0;
  /** Sweeps from a call's start to its deadline. */
  readonly #span: number;
  /** Sweep period, ms. */
  readonly #resolution: number;
  /** The sweeping interval, while calls wait. */
  #timer: NodeJS.Timeout | undefined;
  /** `#sweep`, bound once. */
  readonly #sweeper = () => this.#sweep();

  /** `timeout`: the limit, ms; `resolution`: how late past it a call may be rejected, ms. */
  constructor(timeout: number, resolution: number) {
    this.#resolution = Math.max(1, Math.round(resolution));
    // A call starts at most one period after the last sweep: one sweep more than timeout/resolution.
    this.#span = Math.ceil(timeout / this.#resolution) + 1;
  }

  /**
   * Times `promise`: the returned call's `promise` settles like it, or rejects with `error()` once the
   * time limit has passed. The caller hands the call to {@link finish} once that settled (whichever way),
   * which is what takes it off the queue: no callback of its own runs when `promise` settles.
   */
  start<T>(promise: Promise<T>, error: () => Error): Timed<T> {
    const timed = new Promise<T>(capture);
    const waiting: Waiting<T> = {
      promise: timed,
      due: this.#sweeps + this.#span,
      done: false,
      reject: rejectCaptured,
      error,
    };
    promise.then(resolveCaptured as (value: T) => void, rejectCaptured);
    this.#queue.push(waiting);
    this.#timer ??= setInterval(this.#sweeper, this.#resolution);
    return waiting;
  }

  /** Takes a call whose `promise` settled off the queue. */
  finish(timed: Timed<unknown>): void {
    const waiting = timed as Waiting;
    waiting.promise = FINISHED;
    waiting.done = true;
    waiting.reject = undefined;
    waiting.error = undefined;
    this.#trim();
  }

  #sweep(): void {
    const sweeps = ++this.#sweeps;
    const queue = this.#queue;
    while (this.#head < queue.length) {
      const waiting = queue[this.#head];
      if (!waiting.done) {
        if (waiting.due > sweeps) break;
        const { reject, error } = waiting;
        waiting.done = true;
        waiting.reject = undefined;
        waiting.error = undefined;
        reject!(error!());
      }
      this.#head++;
    }
    this.#trim();
    if (this.#queue.length === 0) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }

  /** Drops settled calls from the head; empties the array when none is left, compacts it now and then. */
  #trim(): void {
    const queue = this.#queue;
    let head = this.#head;
    while (head < queue.length && queue[head].done) head++;
    if (head === queue.length) {
      // Most often one call was waiting: pop() is cheaper than setting the length (a runtime call).
      if (head === 1) queue.pop();
      else queue.length = 0;
      head = 0;
    } else if (head > 1024 && head * 2 > queue.length) {
      // Calls still wait behind many finished ones (a slow call at the head): drop the finished ones.
      this.#queue = queue.slice(head);
      head = 0;
    }
    this.#head = head;
  }
}
