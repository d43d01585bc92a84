export { RedisServer, type RedisServerOptions } from './redis-server';
export { freePort } from './free-port';
export { waitFor, type WaitForOptions } from './wait-for';
