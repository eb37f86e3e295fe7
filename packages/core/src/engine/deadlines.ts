/** One call waiting for its deadline. */
interface Waiting {
  /** When it times out (epoch ms). */
  at: number;
  /** Rejects the call's promise. */
  reject: (error: Error) => void;
  /** Builds the timeout error. */
  error: () => Error;
}

/**
 * Timeouts for many concurrent calls from one timer. A `setTimeout` per store call costs more than the
 * call's own JavaScript on a fast store; here a call only joins a set, and one interval, running only
 * while calls wait, rejects those past their deadline. Deadlines are kept to within `resolution` ms.
 */
export class Deadlines {
  /** Calls waiting. */
  readonly #waiting = new Set<Waiting>();
  /** The sweeping interval, while calls wait. */
  #timer: NodeJS.Timeout | undefined;
  /** Sweep period, ms. */
  readonly #resolution: number;

  constructor(resolution: number) {
    this.#resolution = Math.max(1, Math.round(resolution));
  }

  /** Settles like `promise`, or rejects with `error()` once `ms` have passed. */
  within<T>(promise: Promise<T>, ms: number, error: () => Error): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const waiting: Waiting = { at: Date.now() + ms, reject, error };
      this.#waiting.add(waiting);
      this.#timer ??= setInterval(() => this.#sweep(), this.#resolution);
      promise.then(
        (value) => {
          this.#waiting.delete(waiting);
          resolve(value);
        },
        (reason) => {
          this.#waiting.delete(waiting);
          reject(reason);
        },
      );
    });
  }

  #sweep(): void {
    const now = Date.now();
    for (const waiting of this.#waiting) {
      if (waiting.at <= now) {
        this.#waiting.delete(waiting);
        waiting.reject(waiting.error());
      }
    }
    if (this.#waiting.size === 0) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }
}
