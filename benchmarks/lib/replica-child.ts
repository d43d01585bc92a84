/** The child side of `ReplicaProcess`: answers the parent's requests with the handlers given. */

export interface Request {
  id: number;
  command: string;
  args: unknown;
}

export type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

type Handler = (args: never) => unknown;

/**
 * Serves requests until the parent sends `exit` or goes away. `onExit` runs before exiting
 * (close caches so Redis connections end cleanly).
 */
export function serveParent(handlers: Record<string, Handler>, onExit: () => Promise<void> | void): void {
  const send = process.send?.bind(process);
  if (send === undefined)
    throw new Error('run this file through ReplicaProcess.spawn (it needs an IPC channel)');
  const exit = async () => {
    await onExit();
    process.exit(0);
  };
  process.on('disconnect', () => void exit());
  process.on('message', async (request: Request) => {
    let reply: Reply;
    try {
      if (request.command === 'exit') {
        send({ id: request.id, ok: true, result: null });
        await exit();
        return;
      }
      const handler = handlers[request.command];
      if (handler === undefined) throw new Error(`unknown command "${request.command}"`);
      reply = { id: request.id, ok: true, result: (await handler(request.args as never)) ?? null };
    } catch (error) {
      reply = {
        id: request.id,
        ok: false,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      };
    }
    send(reply);
  });
  send({ hello: true });
}

/** Sub-millisecond wall-clock time, comparable across processes on one machine. */
export function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}

/** Resolves at wall-clock time `at` (epoch ms), so several processes can start together. */
export function sleepUntil(at: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, at - wallClockMs())));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
