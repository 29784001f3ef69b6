import express, { type Express } from 'express';
import type { Config } from './config';
import type { Db } from './db';
import type { Logger } from './middleware/logging';
import { setUpRequestLogging } from './middleware/logging';
import { setUpSecurityHeaders } from './middleware/security';
import { computeAssetVersion, setUpStaticAssets } from './middleware/static-assets';
import { setUpNunjucks } from './middleware/nunjucks';
import { setUpHealthChecks, type Lifecycle } from './middleware/health';
import { setUpBodyParsing } from './middleware/body-parsing';
import { setUpSessions } from './middleware/session';
import { setUpCsrf } from './middleware/csrf';
import { errorHandler, notFound } from './middleware/error-handler';
import { createBackpressure } from './middleware/backpressure';
import { createReadOnlyMode } from './middleware/read-only';
import { setUpContentPages } from './content/content-pages';
import { createPageCache } from './middleware/page-cache';
import { setUpCatalogue } from './catalogue/catalogue';
import { setUpApply } from './apply';
import { setUpYourApplications } from './apply/your-applications';
import { setUpSessionTimeout } from './timeout/timeout-warning';
import { setUpStaff } from './staff';
import { undeclaredStaffRoutes } from './staff/access';
import { appRoutes } from './app-routes';
import { setUpPerformance } from './performance/performance';
import { setUpOperatorMetrics } from './metrics/operator-metrics';
import type { ServiceRegistry } from './definitions/registry';
import { systemClock, type Clock } from './clock';
import { createCalendar, loadBankHolidays } from './calendar/working-days';
import { setUpDevMailbox } from './notifications/dev-mailbox';
import { scannerFor } from './uploads';
import type { VirusScanner } from './uploads/scanner';
import { uploadRoutes } from './apply/upload-page';

export type AppDeps = {
  config: Config;
  db: Db;
  /** The staff pages' own pool (db.ts createStaffDb); `db` when not given. */
  staffDb?: Db;
  logger: Logger;
  registry: ServiceRegistry;
  lifecycle?: Lifecycle;
  clock?: Clock;
  /** Scans uploads; by default the configured clamd (src/uploads/index.ts). */
  scanner?: VirusScanner;
};

/** The whole app, its concerns in the order a request meets them. */
export function createApp({
  config,
  db,
  staffDb = db,
  logger,
  registry,
  lifecycle = { shuttingDown: false },
  clock = systemClock,
  scanner = scannerFor(config),
}: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxyHops);
  const assetVersion = computeAssetVersion();
  const views = setUpNunjucks(app, config, assetVersion);
  // Pages that are the same for everyone, rendered once a minute at most (see middleware/page-cache.ts).
  const pages = createPageCache(views, { ttlMs: 60_000 });
  const calendar = createCalendar(
    config.calendar.division,
    loadBankHolidays(config.calendar.division, config.calendar.bankHolidaysFile),
  );

  const operatorMetrics = setUpOperatorMetrics({ config, db, clock });

  app.use(setUpRequestLogging(logger));
  app.use(operatorMetrics.measure);
  app.use(setUpSecurityHeaders(config));
  app.use(setUpStaticAssets(config, assetVersion));
  app.use(setUpHealthChecks(db, lifecycle, scanner));
  // Prometheus /metrics (bearer token), then the public performance pages and open data: no session needed.
  app.use(operatorMetrics.router);
  // Past the in-flight or event-loop limit, a fast 503; then, in read-only mode, a 503 for every form post.
  const backpressure = createBackpressure(config.backpressure, { pages });
  const readOnly = createReadOnlyMode(config, db);
  app.locals.backpressure = backpressure;
  app.locals.readOnly = readOnly;
  app.use(backpressure.middleware);
  app.use(readOnly.refuseWrites);
  app.use(setUpPerformance({ config, db, registry, clock, pages }));
  app.use(setUpBodyParsing(uploadRoutes(registry)));
  app.use(setUpSessions(config, db));
  app.use(setUpCsrf());

  app.use(setUpCatalogue(db, registry, { config, clock, views, pages }));
  app.use(setUpSessionTimeout({ config, db, registry }));
  const applyDeps = { config, db, registry, views, pages, clock, calendar, logger, scanner };
  app.use(setUpApply(applyDeps));
  app.use(setUpYourApplications(applyDeps));
  const staff = setUpStaff({ config, db: staffDb, registry, clock, calendar, logger });
  app.use(staff.router);
  // The declared staff routes and their roles, for the test that proves none is left open.
  app.locals.staffRoutes = staff.declared;
  app.use(setUpContentPages(config, pages));
  // The emails written, as they would be sent: development and tests only (it shows people's answers).
  if (!config.isProduction) app.use(setUpDevMailbox(config, db));

  app.use(notFound());
  app.use(errorHandler(config, readOnly));
  // Deny by default (docs/security.md#z1): a /staff route added without its roles stops the start.
  const undeclared = undeclaredStaffRoutes(appRoutes(app), staff.declared);
  if (undeclared.length > 0) throw new Error(`staff routes without declared roles: ${undeclared.join(', ')}`);
  return app;
}
