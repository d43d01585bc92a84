export { createRtb, type RtbProcess } from './app';
export { loadRtbConfig, type RtbConfig, type RtbRole } from './config';
