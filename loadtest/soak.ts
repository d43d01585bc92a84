/**
 * Soak: a moderate rate for two hours, for leaks, TTL churn and reconnects.
 * k6 run -e BASE_URL=http://localhost:8080 loadtest/soak.ts
 */
import { optionsFor } from './profiles.ts';

export { consistency, setup, traffic } from './workload.ts';
export const options = optionsFor('soak');
