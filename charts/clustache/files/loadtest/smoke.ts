/**
 * Smoke: a short trickle of every request kind; run it first against a new deployment.
 * k6 run -e BASE_URL=http://localhost:8080 loadtest/smoke.ts
 */
import { optionsFor } from './profiles.ts';

export { consistency, setup, traffic } from './workload.ts';
export const options = optionsFor('smoke');
