import type { Dashboard } from './grafana';
import { overviewDashboard } from './overview';
import { rtbDashboard } from './rtb';

/** Every generated dashboard: file name (in `dashboards/`, the uid plus `.json`) → its builder. */
export const DASHBOARDS: Record<string, () => Dashboard> = {
  'clustache-overview.json': overviewDashboard,
  'clustache-rtb.json': rtbDashboard,
};
