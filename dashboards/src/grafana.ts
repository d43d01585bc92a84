/**
 * The slice of Grafana's dashboard JSON model our dashboards use, with builders that fill in
 * what provisioning needs: every query goes to the `${datasource}` template variable (never an
 * `__inputs` import placeholder), and panels are laid out in rows on Grafana's 24-column grid.
 */

/** The template variable every panel and query points at, so provisioning needs no import step. */
export const DATASOURCE = { type: 'prometheus', uid: '${datasource}' } as const;

export type Unit = 'percentunit' | 's' | 'reqps' | 'ops' | 'short' | 'bytes' | 'none';

export interface Query {
  expr: string;
  legendFormat: string;
  /**
   * The series' unit when it differs from the panel's (a count beside a ratio): it gets its own
   * axis on the right. @default the panel's unit
   */
  unit?: Unit;
}

export interface PanelSpec {
  title: string;
  description: string;
  unit: Unit;
  queries: Query[];
  /** Width in grid columns (of 24). @default 8 */
  width?: number;
  /** `stat` shows one current number per series. @default 'timeseries' */
  kind?: 'timeseries' | 'stat';
  /** Stack the series (shares of a whole, rates by label). @default false */
  stacked?: boolean;
  /** Fixed axis bounds, e.g. 0..1 for ratios. */
  min?: number;
  max?: number;
  /** Limits drawn as dashed lines (a contract's timeout, an alert's threshold), in the panel's unit. */
  thresholds?: Threshold[];
}

export interface Threshold {
  value: number;
  color: 'orange' | 'red';
}

export interface RowSpec {
  title: string;
  panels: PanelSpec[];
}

export interface GridPos {
  h: number;
  w: number;
  x: number;
  y: number;
}

export interface Target {
  datasource: typeof DATASOURCE;
  editorMode: 'code';
  expr: string;
  legendFormat: string;
  range: true;
  refId: string;
}

export interface Panel {
  id: number;
  type: 'timeseries' | 'stat' | 'row';
  title: string;
  gridPos: GridPos;
  description?: string;
  datasource?: typeof DATASOURCE;
  targets?: Target[];
  fieldConfig?: unknown;
  options?: unknown;
  collapsed?: boolean;
  panels?: Panel[];
}

export interface TemplateVariable {
  name: string;
  label: string;
  type: 'datasource' | 'query';
  [field: string]: unknown;
}

export interface Dashboard {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  panels: Panel[];
  templating: { list: TemplateVariable[] };
  [field: string]: unknown;
}

const PANEL_HEIGHT = 8;

/** The `datasource` variable: any Prometheus data source, chosen in the dashboard's header. */
export function datasourceVariable(): TemplateVariable {
  return {
    name: 'datasource',
    label: 'Data source',
    type: 'datasource',
    query: 'prometheus',
    current: {},
    hide: 0,
    refresh: 1,
    regex: '',
    options: [],
  };
}

/** A multi-select variable filled from a label's values; "All" matches every value (`.*`). */
export function labelVariable(name: string, label: string, metricSelector: string): TemplateVariable {
  const definition = `label_values(${metricSelector}, ${name})`;
  return {
    name,
    label,
    type: 'query',
    datasource: DATASOURCE,
    definition,
    query: { qryType: 1, query: definition, refId: 'PrometheusVariableQueryEditor-VariableQuery' },
    refresh: 2,
    includeAll: true,
    multi: true,
    allValue: '.*',
    current: { selected: true, text: ['All'], value: ['$__all'] },
    options: [],
    sort: 1,
    hide: 0,
    regex: '',
  };
}

/** Lays the rows out top to bottom, each row's panels left to right, wrapping at 24 columns. */
export function layout(rows: RowSpec[]): Panel[] {
  const panels: Panel[] = [];
  let id = 1;
  let y = 0;
  for (const row of rows) {
    panels.push({
      id: id++,
      type: 'row',
      title: row.title,
      collapsed: false,
      gridPos: { h: 1, w: 24, x: 0, y },
      panels: [],
    });
    y += 1;
    let x = 0;
    for (const spec of row.panels) {
      const w = spec.width ?? 8;
      if (x + w > 24) {
        x = 0;
        y += PANEL_HEIGHT;
      }
      panels.push(panel(id++, spec, { h: PANEL_HEIGHT, w, x, y }));
      x += w;
    }
    y += PANEL_HEIGHT;
  }
  return panels;
}

function panel(id: number, spec: PanelSpec, gridPos: GridPos): Panel {
  const kind = spec.kind ?? 'timeseries';
  const targets = spec.queries.map(
    (query, i): Target => ({
      datasource: DATASOURCE,
      editorMode: 'code',
      expr: query.expr,
      legendFormat: query.legendFormat,
      range: true,
      refId: String.fromCharCode(65 + i),
    }),
  );
  const defaults: Record<string, unknown> = { unit: spec.unit, color: { mode: 'palette-classic' } };
  if (spec.min !== undefined) defaults['min'] = spec.min;
  if (spec.max !== undefined) defaults['max'] = spec.max;
  if (kind === 'timeseries') {
    defaults['custom'] = {
      drawStyle: 'line',
      lineWidth: 1,
      fillOpacity: spec.stacked ? 40 : 10,
      showPoints: 'never',
      spanNulls: false,
      stacking: { mode: spec.stacked ? 'normal' : 'none', group: 'A' },
    };
    if (spec.thresholds !== undefined) {
      (defaults['custom'] as Record<string, unknown>)['thresholdsStyle'] = { mode: 'dashed' };
      defaults['thresholds'] = {
        mode: 'absolute',
        steps: [{ color: 'green', value: null }, ...spec.thresholds],
      };
    }
  } else {
    defaults['color'] = { mode: 'thresholds' };
    defaults['thresholds'] = { mode: 'absolute', steps: [{ color: 'green', value: null }] };
  }
  const options =
    kind === 'timeseries'
      ? {
          legend: { displayMode: 'list', placement: 'bottom', showLegend: true, calcs: [] },
          tooltip: { mode: 'multi', sort: 'desc' },
        }
      : {
          reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
          colorMode: 'value',
          graphMode: 'area',
          textMode: 'auto',
        };
  return {
    id,
    type: kind,
    title: spec.title,
    description: spec.description,
    datasource: DATASOURCE,
    gridPos,
    targets,
    fieldConfig: { defaults, overrides: unitOverrides(spec, kind) },
    options,
  };
}

/** A field override per query whose unit differs from the panel's, matched by its refId. */
function unitOverrides(spec: PanelSpec, kind: 'timeseries' | 'stat'): unknown[] {
  return spec.queries.flatMap((query, i) => {
    if (query.unit === undefined || query.unit === spec.unit) return [];
    const properties: { id: string; value: unknown }[] = [{ id: 'unit', value: query.unit }];
    if (kind === 'timeseries') properties.push({ id: 'custom.axisPlacement', value: 'right' });
    return [{ matcher: { id: 'byFrameRefID', options: String.fromCharCode(65 + i) }, properties }];
  });
}

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  variables: TemplateVariable[];
  rows: RowSpec[];
}

/** A complete dashboard: provisionable as is, from a file or a ConfigMap. */
export function dashboard(spec: DashboardSpec): Dashboard {
  return {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: spec.tags,
    editable: true,
    graphTooltip: 1,
    refresh: '10s',
    schemaVersion: 39,
    version: 1,
    time: { from: 'now-30m', to: 'now' },
    timepicker: {},
    timezone: 'browser',
    annotations: {
      list: [
        {
          builtIn: 1,
          datasource: { type: 'grafana', uid: '-- Grafana --' },
          enable: true,
          hide: true,
          iconColor: 'rgba(0, 211, 255, 1)',
          name: 'Annotations & Alerts',
          type: 'dashboard',
        },
      ],
    },
    links: [],
    templating: { list: [datasourceVariable(), ...spec.variables] },
    panels: layout(spec.rows),
  };
}
