export { ChartUnderTest, parseManifests, type RenderOptions } from './chart';
export { helm, helmBinary, type HelmResult } from './helm';
export { one, ofKind, selects, type K8sObject, type LabelSelector } from './k8s';
export { CHART_DIR, IMAGE_CONTEXT_DIR, REPO_ROOT, RTB_IMAGE_CONTEXT_DIR, STANDINS_DIR } from './paths';
export { installAlone } from './pruned-image';
export { validateObjects, type Validation } from './validate';
export { tagRoundTrip } from './rtb-tag';
