/**
 * Spike: a sudden burst to four times the steady rate, then back.
 * k6 run -e BASE_URL=http://localhost:8080 loadtest/spike.ts
 */
import { optionsFor } from './profiles.ts';

export { consistency, setup, traffic } from './workload.ts';
export const options = optionsFor('spike');
