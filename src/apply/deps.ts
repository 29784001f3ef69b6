import type nunjucks from 'nunjucks';
import type { Clock } from '../clock';
import type { Config } from '../config';
import type { Db } from '../db';
import type { ServiceRegistry } from '../definitions/registry';
import type { Logger } from '../middleware/logging';
import type { WorkingDayCalendar } from '../calendar/working-days';

export type ApplyDeps = Readonly<{
  config: Config;
  db: Db;
  registry: ServiceRegistry;
  views: nunjucks.Environment;
  clock: Clock;
  calendar: WorkingDayCalendar;
  logger: Logger;
}>;
