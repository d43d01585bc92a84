export { createApp, CACHE_NAME, type ApiDeps, type CacheApi } from './app';
export { loadConfig, ConfigError, type ApiConfig } from './config';
export { serve, SHUTDOWN_GRACE_MS, type RunningServer } from './http-server';
export { ApiError } from './errors';
