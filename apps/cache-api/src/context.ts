import type { CoherentCache } from '@clustache/cache';
import type { Registry } from 'prom-client';
import type { Logger, Readiness } from '@clustache/service';
import type { ApiConfig } from './config';
import type { DataBackend } from './source/data-backend';
import type { ItemStore } from './source/item-store';
import type { SessionStore } from './source/session-store';
import type { SourceOfRecord } from './source/source-of-record';
import type { StatsReport } from './stats-report';

/** What the route modules of one app instance share; built once by `createApp`. */
export interface ApiContext {
  readonly config: ApiConfig;
  readonly cache: CoherentCache;
  readonly source: SourceOfRecord;
  readonly data: DataBackend;
  readonly items: ItemStore;
  readonly sessions: SessionStore;
  readonly stats: StatsReport;
  readonly registry: Registry;
  readonly logger: Logger;
  /** What `/ready` answers: gates start-up and shutdown, stays 200 (degraded) through Redis outages. */
  readonly readiness: Readiness;
}
