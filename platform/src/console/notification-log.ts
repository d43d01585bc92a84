/** One alert inside an Alertmanager webhook notification. */
export interface NotifiedAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
}

/** The body Alertmanager POSTs to a webhook receiver (payload version 4). */
export interface Notification {
  receiver: string;
  status: 'firing' | 'resolved';
  groupLabels: Record<string, string>;
  alerts: NotifiedAlert[];
  /** When the console received it (ISO 8601). */
  receivedAt: string;
}

const KEEP = 500;

/**
 * The webhook receiver's memory: every notification Alertmanager delivered, newest last (the
 * last 500), so a person can read them on the console and a test can wait for one.
 */
export class NotificationLog {
  private readonly notifications: Notification[] = [];
  private readonly listeners: ((notification: Notification) => void)[] = [];

  /** Records a webhook body; throws on one that is not an Alertmanager notification. */
  receive(body: unknown, now = new Date()): Notification {
    const candidate = body as Partial<Notification> | null;
    if (
      candidate === null ||
      typeof candidate !== 'object' ||
      !Array.isArray(candidate.alerts) ||
      typeof candidate.status !== 'string'
    ) {
      throw new Error('not an Alertmanager webhook notification: expected {status, alerts: [...]}');
    }
    const notification: Notification = {
      receiver: String(candidate.receiver ?? ''),
      status: candidate.status,
      groupLabels: candidate.groupLabels ?? {},
      alerts: candidate.alerts,
      receivedAt: now.toISOString(),
    };
    this.notifications.push(notification);
    if (this.notifications.length > KEEP) this.notifications.shift();
    for (const listener of this.listeners) listener(notification);
    return notification;
  }

  onNotification(listener: (notification: Notification) => void): void {
    this.listeners.push(listener);
  }

  /** Notifications, oldest first, optionally only those carrying an alert with this name. */
  list(alertname?: string): Notification[] {
    if (alertname === undefined) return [...this.notifications];
    return this.notifications.filter((notification) =>
      notification.alerts.some((alert) => alert.labels['alertname'] === alertname),
    );
  }
}

/** One line per notification for the terminal: "FIRING RedisDown (critical) — Redis is down (…)". */
export function describeNotification(notification: Notification): string {
  return notification.alerts
    .map((alert) => {
      const severity = alert.labels['severity'] ? ` (${alert.labels['severity']})` : '';
      return `${alert.status.toUpperCase()} ${alert.labels['alertname'] ?? '?'}${severity} — ${alert.annotations['summary'] ?? ''}`;
    })
    .join('\n');
}
