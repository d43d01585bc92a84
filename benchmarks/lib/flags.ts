/**
 * Command-line flags of `npm run bench -- …`: `--name value` or `--name=value`. A scenario reads
 * its own (a smaller set-up for a quick smoke run, say); the runner reads `--only`.
 */

export function flagValue(name: string, args: readonly string[] = process.argv.slice(2)): string | undefined {
  const at = args.findIndex((arg) => arg === name || arg.startsWith(`${name}=`));
  if (at === -1) return undefined;
  const arg = args[at]!;
  return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[at + 1];
}

/** A positive number given as `--name n`, or `fallback`; anything else is refused, naming the flag. */
export function numberFlag(name: string, fallback: number): number {
  const text = flagValue(name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!(Number.isFinite(value) && value > 0))
    throw new Error(`flag ${name} must be a positive number; got ${JSON.stringify(text)}`);
  return value;
}

export function hasFlag(name: string): boolean {
  return process.argv.slice(2).includes(name);
}
