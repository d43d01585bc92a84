/**
 * Preloaded (`node --import`) into a replica process to give it a wrong clock, as a host whose
 * clock drifted would: its wall time reads `CLOCK_SKEW_MS` ahead (negative: behind) of every
 * other process on the machine. Both wall clocks the engine reads move together, `Date.now()`
 * and `performance.timeOrigin` (+ `performance.now()`), so the process agrees with itself and
 * only disagrees with its peers. Nothing in the engine is wrapped or replaced.
 */
const skewMs = Number(process.env['CLOCK_SKEW_MS'] ?? '0');
if (!Number.isFinite(skewMs))
  throw new Error(`CLOCK_SKEW_MS must be a number of milliseconds; got ${process.env['CLOCK_SKEW_MS']}`);

const trueNow = Date.now;
Date.now = () => trueNow() + skewMs;
Object.defineProperty(performance, 'timeOrigin', {
  value: performance.timeOrigin + skewMs,
  configurable: true,
});

export {};
