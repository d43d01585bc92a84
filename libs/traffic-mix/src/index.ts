export { pickRequestKind, TRAFFIC_MIX, type RequestKind } from './traffic-mix';
export { ZipfKeys } from './zipf-keys';
