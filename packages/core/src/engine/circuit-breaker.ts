/** Options of {@link CircuitBreaker}. */
export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit; default 5. */
  threshold: number;
  /** How long the circuit stays open, in ms; default 10 s. */
  duration: number;
}

/**
 * Stops calling a store that keeps failing. Closed: every call goes through and consecutive failures
 * are counted. Open (after `threshold` of them): calls are skipped until `duration` has passed. Then
 * half-open: calls go through again, and the first failure opens the circuit anew.
 */
export class CircuitBreaker {
  /** Consecutive failures since the last success. */
  #failures = 0;
  /** Until when (epoch ms) calls are skipped; 0 when closed. */
  #openUntil = 0;
  /** Settings. */
  readonly #options: CircuitBreakerOptions;

  constructor(options: CircuitBreakerOptions) {
    this.#options = options;
  }

  /** Whether a call may go to the store now. */
  allows(): boolean {
    return this.#openUntil === 0 || this.#openUntil <= Date.now();
  }

  /** Whether the circuit is open now. */
  get open(): boolean {
    return !this.allows();
  }

  /** Records a success: the circuit closes. */
  success(): void {
    this.#failures = 0;
    this.#openUntil = 0;
  }

  /** Records a failure; resolves true when this one opened the circuit. */
  failure(): boolean {
    if (!this.allows()) return false;
    const halfOpen = this.#openUntil !== 0;
    this.#failures++;
    if (halfOpen || this.#failures >= this.#options.threshold) {
      this.#openUntil = Date.now() + this.#options.duration;
      this.#failures = 0;
      return true;
    }
    return false;
  }
}
