import type { Notification } from './notification-log';
import { formatValue, type Chart } from './svg-chart';

export interface PageLinks {
  api: string;
  prometheus: string;
  alertmanager: string;
}

const escape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The newest value of every line of a chart, e.g. "fill rate 93.1%". */
function latest(chart: Chart): string {
  const values = chart.series.map((series) => {
    const last = [...series.points].reverse().find(([, v]) => Number.isFinite(v));
    return `${escape(series.label)} <b>${last ? formatValue(last[1], chart.unit) : '–'}</b>`;
  });
  return values.length > 0 ? values.join(' · ') : 'no data yet';
}

/**
 * The console's one page: the current fill ratio, pub/sub share, latency and request rate as
 * numbers and as the chart image, the latest Alertmanager notifications, and links to the
 * platform's parts. Plain HTML that refreshes itself; no scripts.
 */
export function overviewPage(charts: Chart[], notifications: Notification[], links: PageLinks): string {
  const rows = charts
    .map((chart) => `<tr><th>${escape(chart.title)}</th><td>${latest(chart)}</td></tr>`)
    .join('\n');
  const alerts = notifications
    .slice(-10)
    .reverse()
    .flatMap((notification) =>
      notification.alerts.map(
        (alert) =>
          `<li class="${alert.status}"><b>${alert.status.toUpperCase()}</b> ${escape(alert.labels['alertname'] ?? '?')} ` +
          `(${escape(alert.labels['severity'] ?? '')}) — ${escape(alert.annotations['summary'] ?? '')} ` +
          `<small>${escape(notification.receivedAt)} via ${escape(notification.receiver)}</small></li>`,
      ),
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="10">
<title>Clustache platform</title>
<style>
body { font-family: sans-serif; margin: 1.5rem; color: #222; }
table { border-collapse: collapse; margin-bottom: 1rem; }
th { text-align: left; padding: 0.2rem 1rem 0.2rem 0; font-weight: normal; color: #555; }
li.firing b { color: #c4162a; } li.resolved b { color: #37872d; }
</style>
</head>
<body>
<h1>Clustache platform</h1>
<p>API <a href="${links.api}">${links.api}</a> · Prometheus <a href="${links.prometheus}">${links.prometheus}</a> ·
Alertmanager <a href="${links.alertmanager}">${links.alertmanager}</a> · <a href="/notifications">notifications (JSON)</a></p>
<table>
${rows}
</table>
<img src="/overview.svg" alt="fill rate, pub/sub share, latency and request rate over the last 15 minutes">
<h2>Alertmanager notifications</h2>
<ul>
${alerts || '<li>none yet</li>'}
</ul>
</body>
</html>
`;
}
