import { createServer, type Server, Socket } from 'node:net';

/**
 * A loopback TCP proxy in front of a server, for fault tests: it can add latency to every chunk in
 * both directions, drop every connection, or refuse new ones, and heal again.
 */
export class TcpProxy {
  /** The port the proxy listens on (127.0.0.1). */
  port = 0;
  /** Milliseconds added to every chunk. */
  latency = 0;
  /** When true, connections are closed as soon as they open. */
  refusing = false;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();

  constructor(readonly targetPort: number) {
    this.#server = createServer((client) => this.#connect(client));
  }

  /** Starts listening on a free loopback port. */
  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    const address = this.#server.address();
    this.port = typeof address === 'object' && address !== null ? address.port : 0;
    return this;
  }

  /** Destroys every open connection (clients see a reset). */
  dropAll(): void {
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
  }

  /** No latency, no refusing. */
  heal(): void {
    this.latency = 0;
    this.refusing = false;
  }

  async close(): Promise<void> {
    this.dropAll();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #connect(client: Socket): void {
    if (this.refusing) {
      client.destroy();
      return;
    }
    const upstream = new Socket();
    this.#sockets.add(client);
    this.#sockets.add(upstream);
    const pipe = (from: Socket, to: Socket) =>
      from.on('data', (chunk) => {
        if (this.latency === 0) to.write(chunk);
        else setTimeout(() => to.writable && to.write(chunk), this.latency);
      });
    pipe(client, upstream);
    pipe(upstream, client);
    const close = () => {
      client.destroy();
      upstream.destroy();
      this.#sockets.delete(client);
      this.#sockets.delete(upstream);
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
    upstream.connect(this.targetPort, '127.0.0.1');
  }
}
