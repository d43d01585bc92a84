/**
 * Steady: ramp to the average load and hold it (the default of the chart's load Job).
 * k6 run -e BASE_URL=http://localhost:8080 loadtest/steady.ts
 */
import { optionsFor } from './profiles.ts';

export { consistency, setup, traffic } from './workload.ts';
export const options = optionsFor('steady');
