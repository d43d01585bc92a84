import { serve as serveListener, type RunningServer } from '@clustache/service';
import type { CacheApi } from './app';

export { SHUTDOWN_GRACE_MS, type RunningServer } from '@clustache/service';

/**
 * Listens on `port` (0: any free port) with the instance's request listener; `shutdown()` marks
 * the instance as leaving, lets in-flight requests finish, then closes Redis.
 */
export function serve(api: CacheApi, port: number): Promise<RunningServer> {
  return serveListener(api.listener, port, {
    onShutdownBegin: () => api.beginShutdown(),
    onDrained: () => api.close(),
  });
}
