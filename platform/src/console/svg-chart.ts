/**
 * Line charts as standalone SVG, drawn on the server from Prometheus range data, so a person
 * sees the fill ratio and latency in any browser or image viewer without Grafana or scripts.
 */

export type ChartUnit = 'percent' | 'seconds' | 'perSecond' | 'bytes';

export interface ChartSeries {
  label: string;
  /** [unix seconds, value] pairs; NaN values leave a gap. */
  points: [number, number][];
}

export interface Chart {
  title: string;
  unit: ChartUnit;
  series: ChartSeries[];
}

const COLORS = ['#3274d9', '#e0752d', '#37872d', '#c4162a', '#8f3bb8', '#7d6b3d'];
const WIDTH = 480;
const HEIGHT = 220;
const PLOT = { left: 56, right: 12, top: 28, bottom: 48 };

const escape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A value as a person reads it: "93.1%", "12.3 ms", "48.2/s", "84 MiB". */
export function formatValue(value: number, unit: ChartUnit): string {
  if (!Number.isFinite(value)) return '–';
  if (unit === 'percent') return `${(value * 100).toFixed(1)}%`;
  if (unit === 'perSecond') return `${value.toFixed(value < 10 ? 2 : 1)}/s`;
  if (unit === 'bytes') return `${(value / 2 ** 20).toFixed(value < 10 * 2 ** 20 ? 1 : 0)} MiB`;
  if (value < 1e-3) return `${(value * 1e6).toFixed(0)} µs`;
  if (value < 1) return `${(value * 1e3).toFixed(1)} ms`;
  return `${value.toFixed(2)} s`;
}

/** The chart's SVG elements, placed at (x, y); `svgDocument` wraps one or more of them. */
export function chartGroup(chart: Chart, x = 0, y = 0): string {
  const points = chart.series.flatMap((series) => series.points).filter(([, v]) => Number.isFinite(v));
  const times = points.map(([t]) => t);
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  const top = chart.unit === 'percent' ? 1 : Math.max(...points.map(([, v]) => v), 0) * 1.1 || 1;
  const plotWidth = WIDTH - PLOT.left - PLOT.right;
  const plotHeight = HEIGHT - PLOT.top - PLOT.bottom;
  const sx = (t: number) => PLOT.left + (t1 > t0 ? ((t - t0) / (t1 - t0)) * plotWidth : plotWidth);
  const sy = (v: number) => PLOT.top + plotHeight - (v / top) * plotHeight;
  const parts: string[] = [
    `<g transform="translate(${x},${y})" class="chart">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff" stroke="#d8d9da"/>`,
    `<text x="${PLOT.left}" y="18" font-size="13" font-weight="bold">${escape(chart.title)}</text>`,
  ];
  for (const fraction of [0, 0.5, 1]) {
    const value = top * fraction;
    parts.push(
      `<line x1="${PLOT.left}" x2="${WIDTH - PLOT.right}" y1="${sy(value).toFixed(1)}" y2="${sy(value).toFixed(1)}" stroke="#eeeeee"/>`,
      `<text x="${PLOT.left - 4}" y="${(sy(value) + 4).toFixed(1)}" font-size="10" text-anchor="end">${escape(formatValue(value, chart.unit))}</text>`,
    );
  }
  if (points.length === 0) {
    parts.push(
      `<text x="${WIDTH / 2}" y="${HEIGHT / 2}" font-size="12" text-anchor="middle" fill="#888888">no data yet</text>`,
    );
  }
  chart.series.forEach((series, i) => {
    const color = COLORS[i % COLORS.length]!;
    const segments: string[][] = [[]];
    for (const [t, v] of series.points) {
      if (Number.isFinite(v)) segments[segments.length - 1]!.push(`${sx(t).toFixed(1)},${sy(v).toFixed(1)}`);
      else if (segments[segments.length - 1]!.length > 0) segments.push([]);
    }
    for (const segment of segments.filter((s) => s.length > 0)) {
      parts.push(
        `<polyline fill="none" stroke="${color}" stroke-width="1.5" points="${segment.join(' ')}"/>`,
      );
    }
    const last = [...series.points].reverse().find(([, v]) => Number.isFinite(v));
    const legend = `${series.label} ${last ? formatValue(last[1], chart.unit) : '–'}`;
    const lx = PLOT.left + (i % 3) * 140;
    const ly = HEIGHT - 26 + Math.floor(i / 3) * 13;
    parts.push(
      `<rect x="${lx}" y="${ly - 8}" width="10" height="3" fill="${color}"/>`,
      `<text x="${lx + 14}" y="${ly}" font-size="10">${escape(legend)}</text>`,
    );
  });
  parts.push('</g>');
  return parts.join('\n');
}

/** Charts in a grid, `columns` wide, as one SVG document. */
export function svgDocument(charts: Chart[], columns = 2): string {
  const rows = Math.ceil(charts.length / columns);
  const width = WIDTH * Math.min(columns, charts.length || 1);
  const height = HEIGHT * Math.max(rows, 1);
  const groups = charts.map((chart, i) =>
    chartGroup(chart, (i % columns) * WIDTH, Math.floor(i / columns) * HEIGHT),
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    ...groups,
    '</svg>',
  ].join('\n');
}
