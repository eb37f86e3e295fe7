/** Errors of `@cachet/testing`, each with a stable `code`. */

/** Thrown by a {@link FaultyStore} in `'throw'` mode. */
export class FaultInjectedError extends Error {
  /** Stable error code. */
  readonly code = 'E_FAULT_INJECTED' as const;
  /** The store operation that failed, e.g. `'get'`. */
  readonly operation: string;

  constructor(operation: string) {
    super(`FaultyStore: injected failure in ${operation}()`);
    this.name = 'FaultInjectedError';
    this.operation = operation;
  }
}
