import type { Socket } from 'node:net';

/** The parts of a memjs `Server` (memjs 1.3) that the guard reads and wraps. */
interface MemjsServer {
  /** The connection, while memjs holds one. */
  _socket?: Socket;
  /** Callbacks of the requests waiting on this server, by sequence number. */
  errorCallbacks: Record<string, unknown>;
  /** Requests waiting for the connection to open. */
  connectCallbacks: unknown[];
  /** Opens the connection if there is none, then hands it to `go`. */
  sock(sasl: boolean, go: (socket: Socket) => void): void;
  /** Fails every waiting request with `error` and drops the connection. */
  error(error: Error): void;
}

/** Marks a server whose `sock` is already wrapped. */
const guarded = Symbol('cachet.closeGuard');

/**
 * Makes every memjs server fail its waiting requests when its connection closes.
 *
 * memjs 1.3.2 forgets a connection that closes without a socket error: its `close` handler drops the
 * socket and clears the request timer, but leaves the requests waiting on it. That happens when
 * Memcached shuts down or restarts with requests in flight, or when a request is written after the
 * server closed but before Node has read the close. Those requests then never settle: not by timeout,
 * not by retry (memjs issues #162 and #170 report the same hang). With the guard, they fail like any
 * other connection error, so memjs retries them on a new connection and rejects when that fails too.
 *
 * @param servers the client's `servers` (`store.client.servers`).
 */
export function guardClosedConnections(servers: readonly unknown[]): void {
  for (const server of servers as (MemjsServer & { [guarded]?: true })[]) {
    if (server[guarded] || typeof server.sock !== 'function') continue;
    server[guarded] = true;
    const open = server.sock;
    server.sock = function (this: MemjsServer, sasl, go) {
      const before = this._socket;
      open.call(this, sasl, go);
      const socket = this._socket;
      if (socket !== undefined && socket !== before) {
        // Runs before memjs's own handler, while `_socket` still tells whether this is the live connection.
        socket.prependListener('close', () => {
          if (this._socket !== socket) return;
          if (Object.keys(this.errorCallbacks).length === 0 && this.connectCallbacks.length === 0) return;
          this.error(new Error('memcached closed the connection before answering'));
        });
      }
    };
  }
}
