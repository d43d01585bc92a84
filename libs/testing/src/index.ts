export { RedisServer, type RedisServerOptions } from './redis-server';
export { RedisCluster, type RedisClusterOptions } from './redis-cluster';
export { RedisSentinel } from './redis-sentinel';
export { freePort } from './free-port';
export { SchedulingDelay } from './scheduling-delay';
export { waitFor, type WaitForOptions } from './wait-for';
export { ServiceProcess } from './service-process';
export { runTool, type ToolResult } from './run-tool';
export { TcpProxy } from './tcp-proxy';
