import type { Express } from 'express';
import { loadConfig, type Config } from '../../src/config';
import { createApp } from '../../src/app';
import { createLogger } from '../../src/middleware/logging';
import type { Lifecycle } from '../../src/middleware/health';
import type { Db } from '../../src/db';
import { createTestDb } from './db';

export type TestApp = {
  app: Express;
  db: Db;
  config: Config;
  lifecycle: Lifecycle;
  close: () => Promise<void>;
};

/** A real app on a fresh database. `env` overrides the test configuration, as environment variables would. */
export async function appWith(env: Record<string, string> = {}, options: { db?: Db } = {}): Promise<TestApp> {
  const config = loadConfig({ NODE_ENV: 'test', ...env });
  const testDb = options.db ? undefined : await createTestDb();
  const db = options.db ?? testDb!.db;
  const lifecycle: Lifecycle = { shuttingDown: false };
  const app = createApp({ config, db, logger: createLogger(config), lifecycle });
  return { app, db, config, lifecycle, close: async () => testDb?.destroy() };
}

/** The configuration production would run with; the database still comes from the test helper. */
export const productionEnv = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://unused.invalid/portal',
  BASE_URL: 'https://portal.example.gov.uk',
  SESSION_SECRET: 'a-production-grade-secret-of-more-than-32-characters',
};
