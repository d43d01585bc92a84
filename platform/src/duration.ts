/** Parses Prometheus-style durations ("500ms", "5s", "1m", "1h") into milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  if (match === null)
    throw new Error(`"${text}" is not a duration; use a number with ms, s, m or h, e.g. 5s`);
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 'ms' | 's' | 'm' | 'h'];
  return Number(match[1]) * factor;
}
