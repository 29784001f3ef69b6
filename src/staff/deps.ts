import type { Clock } from '../clock';
import type { Config } from '../config';
import type { Db } from '../db';
import type { ServiceRegistry } from '../definitions/registry';
import type { Logger } from '../middleware/logging';
import type { WorkingDayCalendar } from '../calendar/working-days';

export type StaffDeps = Readonly<{
  config: Config;
  db: Db;
  registry: ServiceRegistry;
  clock: Clock;
  calendar: WorkingDayCalendar;
  logger: Logger;
}>;
