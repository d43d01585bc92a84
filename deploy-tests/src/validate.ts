import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type { K8sObject } from './k8s';
import { REPO_ROOT } from './paths';

export interface Validation {
  kind: string;
  name: string;
  apiVersion: string;
  errors: string[];
}

/**
 * Validates every object strictly against its kind's schema (see validate-k8s.mjs): types,
 * required fields, and no field the kind does not declare (`unknown field "spec.…"`). One entry
 * per object.
 */
export function validateObjects(objects: K8sObject[]): Promise<Validation[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [join(__dirname, 'validate-k8s.mjs')],
      { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`validate-k8s.mjs failed: ${stderr || error.message}`));
        else resolve(JSON.parse(stdout) as Validation[]);
      },
    );
    child.stdin?.end(JSON.stringify(objects));
  });
}
