import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import type { NotificationLog } from './notification-log';
import type { OverviewCharts } from './overview-charts';
import { overviewPage, type PageLinks } from './overview-page';
import { svgDocument } from './svg-chart';

const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The platform's console on one port: `/` the overview page, `/overview.svg` its chart image,
 * `POST /alerts` the webhook receiver Alertmanager notifies, `GET /notifications` what it
 * received (JSON; `?alertname=` filters).
 */
export class ConsoleServer {
  private server: Server | undefined;

  constructor(
    private readonly port: number,
    private readonly notifications: NotificationLog,
    private readonly charts: OverviewCharts,
    private readonly links: PageLinks,
  ) {}

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`console error: ${(error as Error).message}\n`);
      });
    });
    server.listen(this.port, '127.0.0.1');
    await once(server, 'listening');
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeAllConnections();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://console');
    const route = `${req.method} ${url.pathname}`;
    if (route === 'POST /alerts') {
      let notification;
      try {
        notification = this.notifications.receive(JSON.parse(await readBody(req)));
      } catch (error) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end(`${(error as Error).message}\n`);
        return;
      }
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ recorded: notification.alerts.length }));
    } else if (route === 'GET /notifications') {
      const list = this.notifications.list(url.searchParams.get('alertname') ?? undefined);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(list, null, 2));
    } else if (route === 'GET /overview.svg') {
      res
        .writeHead(200, { 'content-type': 'image/svg+xml', 'cache-control': 'no-store' })
        .end(svgDocument(await this.charts.charts()));
    } else if (route === 'GET /') {
      const page = overviewPage(await this.charts.charts(), this.notifications.list(), this.links);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    } else if (route === 'GET /health') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    } else {
      res
        .writeHead(404, { 'content-type': 'text/plain' })
        .end('not found: try /, /overview.svg, /notifications or POST /alerts\n');
    }
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error(`body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
