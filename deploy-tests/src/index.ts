export { ChartUnderTest, parseManifests, type RenderOptions } from './chart';
export { helm, helmBinary, type HelmResult } from './helm';
export { one, ofKind, selects, type K8sObject, type LabelSelector } from './k8s';
export { CHART_DIR, IMAGE_CONTEXT_DIR, REPO_ROOT, STANDINS_DIR } from './paths';
export { validateObjects, type Validation } from './validate';
