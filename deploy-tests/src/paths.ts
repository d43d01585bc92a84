import { join, resolve } from 'node:path';

/** The repository root. */
export const REPO_ROOT = resolve(__dirname, '..', '..');
/** The umbrella chart as committed. */
export const CHART_DIR = join(REPO_ROOT, 'charts', 'clustache');
/** The stand-in subcharts the tests put into a temporary copy of the chart. */
export const STANDINS_DIR = join(REPO_ROOT, 'deploy-tests', 'standins');
/** The pruned output of `nx run @clustache/cache-api:image-prune`: the image's build context. */
export const IMAGE_CONTEXT_DIR = join(REPO_ROOT, 'dist', 'image', 'apps', 'cache-api');
/** The pruned output of `nx run @clustache/rtb:image-prune`: the RTB image's build context. */
export const RTB_IMAGE_CONTEXT_DIR = join(REPO_ROOT, 'dist', 'image', 'apps', 'rtb');
