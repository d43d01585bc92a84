export { ConfigError, envReaders, redactedUrl, type Env } from './env';
export { clientErrorOf } from './client-error';
export { errorHandler, httpErrorOf, notFound, type ErrorTranslator } from './error-handler';
export { HttpError } from './http-error';
export { jsonLogger, type LogLevel } from './json-logger';
export { silentLogger, type Logger } from './logger';
export { Readiness, type ReadinessAnswer, type RedisState } from './readiness';
export {
  connectionOptions,
  redisOptions,
  REQUEST_TIMEOUT_MS,
  type ConnectionRole,
} from './redis/connection-options';
export { RedisConnection } from './redis/redis-connection';
export { RedisUnavailableApiError } from './redis/redis-unavailable-error';
export { execAll, isReplyError } from './redis/replies';
export { RequestMetrics, UNMATCHED_ROUTE } from './request-metrics';
export {
  exitOnSignal,
  serve,
  SHUTDOWN_GRACE_MS,
  type RunningServer,
  type ServeOptions,
  type SignalLogger,
} from './serve';
export {
  READY_WAIT_MS,
  runService,
  serveInstance,
  type ServiceConfig,
  type ServiceInstance,
  type ServiceMain,
} from './service-main';
