export { ConfigError, envReaders, redactedUrl, type Env } from './env';
export { clientErrorOf } from './client-error';
export { HttpError } from './http-error';
export { jsonLogger, type LogLevel } from './json-logger';
export { silentLogger, type Logger } from './logger';
export { Readiness, type ReadinessAnswer, type RedisState } from './readiness';
export { RequestMetrics, UNMATCHED_ROUTE } from './request-metrics';
export {
  exitOnSignal,
  serve,
  SHUTDOWN_GRACE_MS,
  type RunningServer,
  type ServeOptions,
  type SignalLogger,
} from './serve';
