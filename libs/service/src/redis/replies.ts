import { ReplyError, type ChainableCommander } from 'ioredis';

/**
 * Runs a MULTI or pipeline and returns each command's reply, throwing the first command's error
 * (ioredis resolves a batch even when some of its commands failed). A MULTI that WATCH discarded
 * throws too.
 */
export async function execAll(batch: ChainableCommander): Promise<unknown[]> {
  const replies = await batch.exec();
  if (replies === null) throw new Error('the transaction was discarded');
  return replies.map(([error, reply]) => {
    if (error) throw error;
    return reply;
  });
}

/** Whether Redis replied with this error code (`NOGROUP`, `BUSYGROUP`, ...). */
export function isReplyError(error: unknown, code: string): boolean {
  return error instanceof ReplyError && (error as Error).message.startsWith(code);
}
