import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';

/** One client connection and the proxy's connection to the target on its behalf. */
interface Link {
  client: Socket;
  upstream: Socket;
}

/**
 * A TCP proxy on a free loopback port in front of a real server, for the network faults no
 * server produces on demand. `stall()` stops forwarding both ways without closing anything: a
 * half-open network, where both ends see no error, only silence. Nothing is dropped or kept in
 * the proxy: a stalled socket is paused, so its bytes wait in the kernel's socket buffers (and
 * then in the sender's) until `resume()` lets them through in order. Connections made during a
 * stall are accepted and stalled too.
 */
export class TcpProxy {
  private readonly links = new Set<Link>();
  private stalled = false;
  /** Bytes forwarded so far, client to target and target to client. */
  readonly forwarded = { toTarget: 0, toClient: 0 };
  /** Connections accepted so far. */
  accepted = 0;

  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {
    server.on('connection', (client) => this.link(client));
  }

  /** Listens on a free loopback port and forwards every connection to `target`. */
  static async start(target: { host?: string; port: number }): Promise<TcpProxy> {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const address = server.address();
    if (address === null || typeof address === 'string') {
      server.close();
      throw new Error('could not read the port the proxy listens on');
    }
    return new TcpProxy(server, address.port, { host: target.host ?? '127.0.0.1', port: target.port });
  }

  /** Open connections through the proxy. */
  get connections(): number {
    return this.links.size;
  }

  get isStalled(): boolean {
    return this.stalled;
  }

  /** Stops forwarding in both directions; connections stay open. */
  stall(): void {
    this.stalled = true;
    for (const { client, upstream } of this.links) {
      client.pause();
      upstream.pause();
    }
  }

  /** Forwards again, the bytes held during the stall first. */
  resume(): void {
    this.stalled = false;
    for (const { client, upstream } of this.links) {
      client.resume();
      upstream.resume();
    }
  }

  /** Closes every connection through the proxy (bytes held in a stall are lost) and stops listening. */
  async close(): Promise<void> {
    for (const { client, upstream } of this.links) {
      client.destroy();
      upstream.destroy();
    }
    this.links.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private link(client: Socket): void {
    this.accepted++;
    const upstream = connect(this.target.port, this.target.host);
    const link = { client, upstream };
    this.links.add(link);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    this.forward(client, upstream, 'toTarget');
    this.forward(upstream, client, 'toClient');
    const end = () => {
      if (!this.links.delete(link)) return;
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      socket.on('error', end);
      socket.on('close', end);
    }
    if (this.stalled) {
      client.pause();
      upstream.pause();
    }
  }

  /** Copies `from` to `to`, pausing `from` while `to` is full (not `pipe`: it would resume a stalled socket on drain). */
  private forward(from: Socket, to: Socket, direction: keyof TcpProxy['forwarded']): void {
    from.on('data', (chunk: Buffer) => {
      this.forwarded[direction] += chunk.length;
      if (!to.write(chunk)) from.pause();
    });
    to.on('drain', () => {
      if (!this.stalled) from.resume();
    });
  }
}
