import type { Express } from 'express';
import { loadConfig, type Config } from '../../src/config';
import { createApp } from '../../src/app';
import { createLogger } from '../../src/middleware/logging';
import type { Lifecycle } from '../../src/middleware/health';
import type { Db } from '../../src/db';
import { createTestDb } from './db';
import { createRegistry, loadServiceDefinitions, type ServiceRegistry } from '../../src/definitions/registry';
import { syncServices } from '../../src/catalogue/service-repository';
import type { Clock } from '../../src/clock';

let shippedRegistry: ServiceRegistry | undefined;
/** The registry of the services the portal ships, loaded once per test file. */
export const shippedServices = (): ServiceRegistry =>
  (shippedRegistry ??= createRegistry(loadServiceDefinitions()));

export type TestApp = {
  app: Express;
  db: Db;
  config: Config;
  lifecycle: Lifecycle;
  registry: ServiceRegistry;
  close: () => Promise<void>;
};

/** A real app on a fresh database. `env` overrides the test configuration, as environment variables would. */
export async function appWith(
  env: Record<string, string> = {},
  options: {
    db?: Db;
    /** The staff pages' own database connection (db.ts createStaffDb); `db` when not given. */
    staffDb?: Db;
    registry?: ServiceRegistry;
    clock?: Clock;
    acquireTimeoutMs?: number;
    logger?: ReturnType<typeof createLogger>;
  } = {},
): Promise<TestApp> {
  const config = loadConfig({ NODE_ENV: 'test', ...env });
  const registry = options.registry ?? shippedServices();
  const testDb = options.db ? undefined : await createTestDb({ acquireTimeoutMs: options.acquireTimeoutMs });
  const db = options.db ?? testDb!.db;
  if (testDb) await syncServices(db, registry.services);
  const lifecycle: Lifecycle = { shuttingDown: false };
  const app = createApp({
    config,
    db,
    staffDb: options.staffDb,
    logger: options.logger ?? createLogger(config),
    lifecycle,
    registry,
    clock: options.clock,
  });
  return { app, db, config, lifecycle, registry, close: async () => testDb?.destroy() };
}

/** The configuration production would run with; the database still comes from the test helper. */
export const productionEnv = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://unused.invalid/portal?sslmode=verify-full',
  BASE_URL: 'https://portal.example.gov.uk',
  SESSION_SECRET: 'a-production-grade-secret-of-more-than-32-characters',
  MFA_ENCRYPTION_KEY: 'a-production-grade-mfa-key-of-more-than-32-characters',
  LOG_LEVEL: 'silent',
  // Production needs a virus scanner; these tests never upload, so it is never contacted.
  CLAMD_HOST: 'clamav.invalid',
};
