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
import { setUpContentPages } from './content/content-pages';

export type AppDeps = {
  config: Config;
  db: Db;
  logger: Logger;
  lifecycle?: Lifecycle;
};

/** The whole app, its concerns in the order a request meets them. */
export function createApp({ config, db, logger, lifecycle = { shuttingDown: false } }: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxyHops);
  const assetVersion = computeAssetVersion();
  setUpNunjucks(app, config, assetVersion);

  app.use(setUpRequestLogging(logger));
  app.use(setUpSecurityHeaders(config));
  app.use(setUpStaticAssets(config, assetVersion));
  app.use(setUpHealthChecks(db, lifecycle));
  app.use(setUpBodyParsing());
  app.use(setUpSessions(config, db));
  app.use(setUpCsrf());

  app.use(setUpContentPages(config));

  app.use(notFound());
  app.use(errorHandler(config));
  return app;
}
