import type nunjucks from 'nunjucks';
import type { Clock } from '../clock';
import type { Config } from '../config';
import type { Db } from '../db';
import type { ServiceRegistry } from '../definitions/registry';
import type { Logger } from '../middleware/logging';
import type { WorkingDayCalendar } from '../calendar/working-days';
import type { PageCache } from '../middleware/page-cache';
import type { VirusScanner } from '../uploads/scanner';

export type ApplyDeps = Readonly<{
  config: Config;
  db: Db;
  registry: ServiceRegistry;
  views: nunjucks.Environment;
  /** Pages that are the same for everyone (start pages), rendered once (middleware/page-cache.ts). */
  pages: PageCache;
  clock: Clock;
  calendar: WorkingDayCalendar;
  logger: Logger;
  /** Scans every uploaded file before it is kept (src/uploads/scanner.ts). */
  scanner: VirusScanner;
}>;
