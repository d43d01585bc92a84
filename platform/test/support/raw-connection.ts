import { once } from 'node:events';
import { connect, type Socket } from 'node:net';

/**
 * One HTTP/1.1 connection written by hand, for what a client library hides: a second request
 * sent on a connection while the first is still in flight (a replica that began shutting down
 * refuses new connections, so only a busy one still reaches it). `closed()` resolves with every
 * byte the server sent once it closes the connection.
 */
export class RawConnection {
  private received = '';
  private readonly ended: Promise<string>;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => (this.received += chunk.toString()));
    this.ended = once(socket, 'close').then(() => this.received);
  }

  static async open(port: number): Promise<RawConnection> {
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    return new RawConnection(socket);
  }

  get(path: string): void {
    this.socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
  }

  closed(): Promise<string> {
    return this.ended;
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** The status codes of the responses in a raw HTTP/1.1 byte stream, in order (a body needs no line end). */
export function statusCodes(raw: string): number[] {
  return [...raw.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((match) => Number(match[1]));
}
