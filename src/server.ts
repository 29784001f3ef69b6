import http from 'node:http';
import type { Express } from 'express';
import { ConfigError, loadConfig, type Config } from './config';
import { createDb, createStaffDb } from './db';
import { migrateForConfig } from './db-roles';
import { createApp } from './app';
import { createRegistry, DefinitionError, loadServiceDefinitions } from './definitions/registry';
import { syncServices } from './catalogue/service-repository';
import { seedDemoStaff } from './seed/demo-staff';
import { createLogger, type Logger } from './middleware/logging';
import type { Lifecycle } from './middleware/health';
import { workerFor } from './notifications';

export type RunningServer = { server: http.Server; shutdown: (signal: string) => Promise<number> };

/**
 * Listen; `shutdown` (wired to SIGTERM/SIGINT by shutDownOnSignals) stops gracefully: readiness turns 503, the
 * server stops accepting, in-flight requests finish, idle keep-alive sockets close, then `onClosed` (the database)
 * and exit 0. A request still running at the deadline, or a second shutdown, means exit 1.
 */
export function listenWithGracefulShutdown(
  app: Express,
  options: {
    config: Config;
    logger: Logger;
    lifecycle: Lifecycle;
    onClosed: () => Promise<void>;
    exit?: (code: number) => void;
  },
): Promise<RunningServer> {
  const { config, logger, lifecycle, onClosed, exit = (code) => process.exit(code) } = options;
  // Bounded waits (docs/security.md#rel5): a client that dribbles its headers or never finishes its body gets a 408
  // and loses the socket. Node checks these every connectionsCheckingInterval (30 s unless told), so a 20 s limit
  // could hold a socket for 50 s: check a few times within the shortest limit, at most once a second.
  const { headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs } = config.http;
  const server = http.createServer(
    {
      headersTimeout: headersTimeoutMs,
      requestTimeout: requestTimeoutMs,
      connectionsCheckingInterval: Math.max(25, Math.min(1000, Math.floor(headersTimeoutMs / 4))),
    },
    app,
  );
  // keepAliveTimeout sits above the 60 s idle timeout of common load balancers, so they never reuse a socket
  // we are closing.
  server.keepAliveTimeout = keepAliveTimeoutMs;

  // Once shutting down, every response tells the client not to reuse its connection, so nothing new is sent
  // on a socket that is about to close.
  // Prepended, so it runs before the app answers.
  server.prependListener('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    if (lifecycle.shuttingDown) res.setHeader('Connection', 'close');
  });

  let closing: Promise<number> | undefined;
  const shutdown = (signal: string): Promise<number> => {
    if (closing) {
      logger.warn({ signal }, 'second signal during shutdown: exiting now');
      exit(1);
      return closing;
    }
    lifecycle.shuttingDown = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    closing = new Promise<number>((resolve) => {
      let sweep: NodeJS.Timeout | undefined;
      let draining: NodeJS.Timeout | undefined;
      // The deadline counts from the signal, drain included.
      const deadline = setTimeout(() => {
        logger.error('shutdown deadline passed with requests still running');
        clearTimeout(draining);
        if (sweep === undefined) server.close(); // still draining: stop accepting too
        clearInterval(sweep);
        server.closeAllConnections();
        resolve(1);
      }, config.shutdownTimeoutMs);
      deadline.unref();
      const close = () => {
        // close() stops accepting; keep-alive sockets that fall idle after their last response would hold it
        // open, so they are swept until every in-flight request has finished.
        sweep = setInterval(() => server.closeIdleConnections(), 100);
        server.close(() => {
          clearTimeout(deadline);
          clearInterval(sweep);
          resolve(0);
        });
        server.closeIdleConnections();
      };
      // Readiness already answers 503; a load balancer takes a few probes to notice and stop sending. Until
      // SHUTDOWN_DRAIN_MS has passed, new requests are still served (each told to close its connection).
      if (config.shutdownDrainMs > 0) draining = setTimeout(close, config.shutdownDrainMs);
      else close();
    }).then(async (code) => {
      try {
        await onClosed();
      } catch (err) {
        logger.error({ err }, 'error while closing resources');
        code = 1;
      }
      logger.info({ code }, 'stopped');
      exit(code);
      return code;
    });
    return closing;
  };

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve({ server, shutdown }));
  });
}

/** The process's stop signals (the platform's SIGTERM, Ctrl-C's SIGINT) shut the server down gracefully. */
export function shutDownOnSignals({ shutdown }: Pick<RunningServer, 'shutdown'>): void {
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

export async function main(): Promise<void> {
  let config: Config;
  let registry: ReturnType<typeof createRegistry>;
  try {
    config = loadConfig();
    if (config.isProduction && !config.uploads.clamd) {
      throw new ConfigError([
        'CLAMD_SOCKET or CLAMD_HOST must be set in production (every upload is scanned by ClamAV before it is kept)',
      ]);
    }
    // A broken service definition stops the start here, naming the service and page, before anything listens.
    registry = createRegistry(loadServiceDefinitions());
  } catch (err) {
    if (err instanceof ConfigError || err instanceof DefinitionError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const startedAt = process.hrtime.bigint();
  const logger = createLogger(config);
  const knexLog = (fields: Record<string, string>) => ({
    warn: (m: string) => logger.warn({ component: 'knex', ...fields }, m),
    error: (m: string) => logger.error({ component: 'knex', ...fields }, m),
  });
  const db = createDb(config.database, knexLog({}));
  const staffDb = createStaffDb(config.database, db, knexLog({ pool: 'staff' }));
  // As the schema's owner when DATABASE_MIGRATION_URL is set (separate roles), else on the app's connection.
  const applied = await migrateForConfig(config.database, db);
  if (applied.length > 0) logger.info({ migrations: applied }, 'applied migrations');
  await syncServices(db, registry.services);
  if (config.seedDemoData) {
    const { created } = await seedDemoStaff(db, config);
    if (created > 0) logger.info({ created }, 'created demo staff accounts (see docs/staff.md)');
  }

  if (!config.uploads.clamd) {
    logger.warn(
      { component: 'uploads' },
      'no virus scanner configured (CLAMD_SOCKET or CLAMD_HOST): uploads use the development stand-in, which recognises only the EICAR test file',
    );
  }
  const lifecycle: Lifecycle = { shuttingDown: false };
  const app = createApp({ config, db, staffDb, logger, lifecycle, registry });
  // The notification outbox is delivered here unless WORKERS=0 (then by `npm run worker`, src/cli/worker.ts).
  const worker = config.notifications.workers > 0 ? workerFor(config, db, logger) : undefined;
  worker?.start(config.notifications.workers);
  const running = await listenWithGracefulShutdown(app, {
    config,
    logger,
    lifecycle,
    onClosed: async () => {
      await worker?.stop();
      if (staffDb !== db) await staffDb.destroy();
      await db.destroy();
    },
  });
  shutDownOnSignals(running);
  const { server } = running;
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info(
    {
      port,
      database: config.database.kind === 'postgres' ? 'postgres' : `embedded (${config.database.dataDir})`,
      readyInMs: Number((process.hrtime.bigint() - startedAt) / 1_000_000n),
    },
    `serving on ${config.baseUrl}`,
  );
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(
      `Failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  });
}
