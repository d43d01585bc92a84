import { once } from 'node:events';
import { connect, type Socket } from 'node:net';

/**
 * One HTTP/1.1 connection written by hand, for what a client library hides: a request whose
 * body is held back (so the server has a request in flight on it), then more requests written on
 * the same connection. A replica that began shutting down refuses new connections, so only such
 * a busy connection still reaches it. `closed()` resolves with every byte the server sent once it
 * closes the connection.
 */
export class RawConnection {
  private bytes = '';
  private readonly ended: Promise<string>;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => (this.bytes += chunk.toString()));
    this.ended = once(socket, 'close').then(() => this.bytes);
  }

  static async open(port: number): Promise<RawConnection> {
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    return new RawConnection(socket);
  }

  /** What the server has sent so far. */
  get received(): string {
    return this.bytes;
  }

  /**
   * Sends a POST's headers with `Expect: 100-continue` and holds its body back: once the server
   * answers `100 Continue` the request is in flight there until `finishBody` sends `body`.
   */
  startPost(path: string, body: string): { finishBody(): void } {
    this.socket.write(
      `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nExpect: 100-continue\r\n\r\n`,
    );
    return { finishBody: () => this.socket.write(body) };
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
