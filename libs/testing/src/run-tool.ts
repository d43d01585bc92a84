import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export interface ToolResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command-line tool (promtool, amtool, buildah...) to completion and returns its exit code
 * and output; fails only when the tool cannot start, naming it.
 */
export async function runTool(
  binary: string,
  args: string[],
  options: { input?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<ToolResult> {
  try {
    const child = promisify(execFile)(binary, args, {
      env: options.env ?? process.env,
      timeout: options.timeoutMs ?? 0,
      maxBuffer: 64 * 1024 * 1024,
    });
    if (options.input !== undefined) child.child.stdin?.end(options.input);
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & {
      code?: number | string;
      stdout?: string;
      stderr?: string;
    };
    if (typeof failure.code !== 'number') throw new Error(`cannot run ${binary}: ${failure.message}`);
    return { code: failure.code, stdout: failure.stdout ?? '', stderr: failure.stderr ?? '' };
  }
}
