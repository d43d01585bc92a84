export { createApp, CACHE_NAME, type ApiDeps, type CacheApi } from './app';
export { loadConfig, ConfigError, type ApiConfig } from './config';
export { serveInstance as serve, SHUTDOWN_GRACE_MS, type RunningServer } from '@clustache/service';
export { ApiError } from './errors';
