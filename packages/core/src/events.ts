/** A listener of event `E` of map `M`. */
export type Listener<M, E extends keyof M> = (payload: M[E]) => void;

/**
 * A small typed event emitter. `has(event)` lets hot paths skip building a payload nobody listens to.
 * A listener that throws is isolated: the others still run, and the caller is not broken.
 */
export class Emitter<M> {
  /** Listeners by event. */
  readonly #listeners = new Map<keyof M, Listener<M, any>[]>();

  /** Adds a listener; returns a function that removes it. */
  on<E extends keyof M>(event: E, listener: Listener<M, E>): () => void {
    const list = this.#listeners.get(event);
    if (list === undefined) this.#listeners.set(event, [listener]);
    else list.push(listener);
    return () => this.off(event, listener);
  }

  /** Removes a listener. */
  off<E extends keyof M>(event: E, listener: Listener<M, E>): void {
    const list = this.#listeners.get(event);
    if (list === undefined) return;
    const index = list.indexOf(listener);
    if (index !== -1) list.splice(index, 1);
    if (list.length === 0) this.#listeners.delete(event);
  }

  /** Whether `event` has listeners. */
  has(event: keyof M): boolean {
    return this.#listeners.has(event);
  }

  /** Calls the listeners of `event`. */
  emit<E extends keyof M>(event: E, payload: M[E]): void {
    const list = this.#listeners.get(event);
    if (list === undefined) return;
    for (const listener of list.slice()) {
      try {
        listener(payload);
      } catch {
        // A listener's failure is its own; the cache carries on.
      }
    }
  }
}
