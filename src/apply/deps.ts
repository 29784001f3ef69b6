import type nunjucks from 'nunjucks';
import type { Clock } from '../clock';
import type { Config } from '../config';
import type { Db } from '../db';
import type { ServiceRegistry } from '../definitions/registry';
import type { Logger } from '../middleware/logging';

export type ApplyDeps = Readonly<{
  config: Config;
  db: Db;
  registry: ServiceRegistry;
  views: nunjucks.Environment;
  clock: Clock;
  logger: Logger;
}>;
