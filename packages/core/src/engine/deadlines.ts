/** One call waiting for its deadline. Its fields are dropped once it settled: a queue held back keeps nothing alive. */
interface Waiting {
  /** The sweep at which it times out. */
  due: number;
  /** Set once the call settled or timed out: later outcomes are ignored, the sweep skips it. */
  done: boolean;
  /** Maps the call's value to the result. */
  onValue: ((value: any) => unknown) | undefined;
  /** Maps the call's failure, or its timeout error, to the result. */
  onError: ((reason: unknown) => unknown) | undefined;
  /** Builds the timeout error. */
  error: (() => Error) | undefined;
  /** Settle the promise `run` returned. */
  resolve: ((value: unknown) => void) | undefined;
  reject: ((reason: unknown) => void) | undefined;
}

/** The resolving functions `capture` took from the last `new Promise(capture)`. */
let resolveCaptured: (value: unknown) => void = () => {};
let rejectCaptured: (reason: unknown) => void = () => {};

/** A Promise executor that hands out its resolving functions: no closure per promise. */
function capture(resolve: (value: never) => void, reject: (reason: unknown) => void): void {
  resolveCaptured = resolve as (value: unknown) => void;
  rejectCaptured = reject;
}

/**
 * One time limit (`timeout` ms) for many calls, from one timer. A `setTimeout` per store call costs
 * more than the call's own JavaScript on a fast store; here a call joins a queue, and one interval,
 * running only while calls wait, ends those past their deadline.
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
   * Times `promise` and maps its outcome: the returned promise resolves with `onValue(value)` or
   * `onError(reason)`, called in the very job that settles `promise` (no turn of the event loop in
   * between, which a caller awaiting a timed promise and then mapping it would add), or with
   * `onError(error())` once the time limit has passed; an outcome after that is ignored. Whatever
   * either function throws rejects the returned promise.
   */
  run<T, R>(
    promise: PromiseLike<T>,
    error: () => Error,
    onValue: (value: T) => R | PromiseLike<R>,
    onError: (reason: unknown) => R | PromiseLike<R>,
  ): Promise<R> {
    const result = new Promise<R>(capture);
    const waiting: Waiting = {
      due: this.#sweeps + this.#span,
      done: false,
      onValue,
      onError,
      error,
      resolve: resolveCaptured,
      reject: rejectCaptured,
    };
    promise.then(
      (value) => {
        if (!waiting.done) this.#settle(waiting, value, false);
      },
      (reason: unknown) => {
        if (!waiting.done) this.#settle(waiting, reason, true);
      },
    );
    this.#queue.push(waiting);
    this.#timer ??= setInterval(this.#sweeper, this.#resolution);
    return result;
  }

  /** Ends a waiting call with its outcome (or its timeout error), mapped, and takes it off the queue. */
  #settle(waiting: Waiting, outcome: unknown, failed: boolean): void {
    const { onValue, onError, resolve, reject } = waiting;
    finish(waiting);
    this.#trim();
    try {
      resolve!(failed ? onError!(outcome) : onValue!(outcome));
    } catch (thrown) {
      reject!(thrown);
    }
  }

  #sweep(): void {
    const sweeps = ++this.#sweeps;
    const queue = this.#queue;
    let expired: Waiting[] | undefined;
    while (this.#head < queue.length) {
      const waiting = queue[this.#head];
      if (!waiting.done) {
        if (waiting.due > sweeps) break;
        (expired ??= []).push(waiting);
      }
      this.#head++;
    }
    // Settled once the queue is consistent: mapping a timeout may start another timed call.
    if (expired !== undefined) for (const waiting of expired) this.#settle(waiting, waiting.error!(), true);
    else this.#trim();
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

/** Marks a call as settled and drops what it held. */
function finish(waiting: Waiting): void {
  waiting.done = true;
  waiting.onValue = undefined;
  waiting.onError = undefined;
  waiting.error = undefined;
  waiting.resolve = undefined;
  waiting.reject = undefined;
}
