import { ConfigError, DEFAULT_SESSION_SECRET, loadConfig } from '../src/config';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('configuration', () => {
  it('defaults to the embedded database on port 3000 with demo data in development', () => {
    const config = loadConfig({});
    expect(config.env).toBe('development');
    expect(config.port).toBe(3000);
    expect(config.database).toEqual(expect.objectContaining({ kind: 'pglite', dataDir: 'data/pglite' }));
    expect(config.seedDemoData).toBe(true);
    expect(config.baseUrl).toBe('http://localhost:3000');
  });

  it('switches to a PostgreSQL server when DATABASE_URL is set', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test', DB_POOL_MAX: '4' });
    expect(config.database).toEqual(
      expect.objectContaining({
        kind: 'postgres',
        url: 'postgres://postgres@127.0.0.1:5432/test',
        poolMax: 4,
      }),
    );
  });

  it('gives staff pages a pool of their own by default, or none when DB_STAFF_POOL_MAX is 0', () => {
    const url = 'postgres://postgres@127.0.0.1:5432/test';
    const byDefault = loadConfig({ DATABASE_URL: url }).database;
    expect(byDefault.kind === 'postgres' && byDefault.staff).toEqual({
      poolMax: 3,
      statementTimeoutMs: 10000,
    });
    const tuned = loadConfig({
      DATABASE_URL: url,
      DB_STAFF_POOL_MAX: '2',
      DB_STAFF_STATEMENT_TIMEOUT_MS: '50',
    });
    expect(tuned.database.kind === 'postgres' && tuned.database.staff).toEqual({
      poolMax: 2,
      statementTimeoutMs: 50,
    });
    const shared = loadConfig({ DATABASE_URL: url, DB_STAFF_POOL_MAX: '0' }).database;
    expect(shared.kind === 'postgres' && shared.staff).toBeUndefined();
    expect(problemsOf({ DB_STAFF_STATEMENT_TIMEOUT_MS: '10' })).toEqual([
      expect.stringMatching(/^DB_STAFF_STATEMENT_TIMEOUT_MS/),
    ]);
  });

  it('bounds slow clients by default and refuses a headers limit longer than the whole request', () => {
    expect(loadConfig({}).http).toEqual({
      headersTimeoutMs: 20000,
      requestTimeoutMs: 30000,
      keepAliveTimeoutMs: 65000,
    });
    expect(
      loadConfig({ HTTP_HEADERS_TIMEOUT_MS: '5000', HTTP_REQUEST_TIMEOUT_MS: '5000' }).http.headersTimeoutMs,
    ).toBe(5000);
    expect(problemsOf({ HTTP_HEADERS_TIMEOUT_MS: '40000' })).toEqual([
      expect.stringMatching(/^HTTP_HEADERS_TIMEOUT_MS must not be longer than HTTP_REQUEST_TIMEOUT_MS/),
    ]);
    expect(problemsOf({ HTTP_KEEP_ALIVE_TIMEOUT_MS: '0' })).toEqual([
      expect.stringMatching(/^HTTP_KEEP_ALIVE_TIMEOUT_MS/),
    ]);
  });

  it('drains for SHUTDOWN_DRAIN_MS only within the shutdown deadline', () => {
    expect(loadConfig({}).shutdownDrainMs).toBe(0);
    expect(loadConfig({ SHUTDOWN_DRAIN_MS: '10000' }).shutdownDrainMs).toBe(10000);
    expect(problemsOf({ SHUTDOWN_DRAIN_MS: '25000' })).toEqual([
      expect.stringMatching(/^SHUTDOWN_DRAIN_MS must be shorter than SHUTDOWN_TIMEOUT_MS/),
    ]);
  });

  it('delivers email in the web process to the development mailbox by default, or to SMTP_URL', () => {
    expect(loadConfig({}).notifications).toEqual({
      smtpUrl: undefined,
      from: 'GOV.UK <noreply@example.gov.uk>',
      workers: 1,
      statusLinkDays: 28,
      reminderCheckMs: 15 * 60 * 1000,
      maxAttempts: 10,
      retryBaseMs: 30000,
      pollMs: 2000,
      perRecipientPerHour: 10,
    });
    const config = loadConfig({
      SMTP_URL: 'smtps://user:secret@mail.example.gov.uk:465',
      MAIL_FROM: 'noreply@services.example.gov.uk',
      WORKERS: '0',
      MAIL_MAX_ATTEMPTS: '3',
      MAIL_RETRY_SECONDS: '5',
      MAIL_PER_RECIPIENT_PER_HOUR: '0',
    });
    expect(config.notifications).toMatchObject({
      smtpUrl: 'smtps://user:secret@mail.example.gov.uk:465',
      from: 'noreply@services.example.gov.uk',
      workers: 0,
      maxAttempts: 3,
      retryBaseMs: 5000,
      perRecipientPerHour: 0,
    });
  });

  it('rejects an SMTP_URL that is not smtp:// and a MAIL_FROM that is not an address', () => {
    const problems = problemsOf({
      SMTP_URL: 'http://mail.example.gov.uk',
      MAIL_FROM: 'GOV.UK',
      WORKERS: '-1',
    });
    expect(problems.map((p) => p.split(' ')[0]).sort()).toEqual(['MAIL_FROM', 'SMTP_URL', 'WORKERS']);
  });

  it('takes branding from the environment', () => {
    const config = loadConfig({ SERVICE_NAME: 'Apply online', ORGANISATION_NAME: 'Example Council' });
    expect(config.branding.serviceName).toBe('Apply online');
    expect(config.branding.organisationName).toBe('Example Council');
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }).database.kind).toBe('pglite');
  });

  it('rejects a port that is not a whole number in range', () => {
    expect(problemsOf({ PORT: 'eighty' })).toEqual([expect.stringMatching(/^PORT must be a whole number/)]);
    expect(problemsOf({ PORT: '70000' })).toEqual([expect.stringMatching(/^PORT/)]);
  });

  it('rejects a DATABASE_URL that is not a postgres URL', () => {
    expect(problemsOf({ DATABASE_URL: 'mysql://root@localhost/db' })).toEqual([
      'DATABASE_URL must be a postgres:// or postgresql:// URL',
    ]);
  });

  it('rejects unknown environments, phases and log levels, naming each variable', () => {
    const problems = problemsOf({ NODE_ENV: 'staging', PHASE: 'gamma', LOG_LEVEL: 'loud' });
    expect(problems.map((p) => p.split(' ')[0]).sort()).toEqual(['LOG_LEVEL', 'NODE_ENV', 'PHASE']);
  });

  it('rejects a short session secret', () => {
    expect(problemsOf({ SESSION_SECRET: 'short' })).toEqual([
      'SESSION_SECRET must be at least 32 characters',
    ]);
  });

  it('refuses to run production without its own key for encrypting staff authenticator secrets', () => {
    const env = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://db/portal?sslmode=verify-full',
      BASE_URL: 'https://x.gov.uk',
      SESSION_SECRET: 'x'.repeat(40),
    };
    expect(problemsOf(env)).toEqual([expect.stringMatching(/^MFA_ENCRYPTION_KEY must be set/)]);
  });

  it('refuses to run production with the default or a missing session secret', () => {
    const base = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://db/portal?sslmode=verify-full',
      BASE_URL: 'https://x.gov.uk',
      MFA_ENCRYPTION_KEY: 'm'.repeat(40),
    };
    expect(problemsOf(base)).toEqual([expect.stringMatching(/^SESSION_SECRET must be set/)]);
    expect(problemsOf({ ...base, SESSION_SECRET: DEFAULT_SESSION_SECRET })).toEqual([
      expect.stringMatching(/^SESSION_SECRET must be set/),
    ]);
  });

  it('refuses to run production on the embedded database or without a base URL', () => {
    const problems = problemsOf({
      NODE_ENV: 'production',
      SESSION_SECRET: 'x'.repeat(40),
      MFA_ENCRYPTION_KEY: 'm'.repeat(40),
    });
    expect(problems).toEqual([expect.stringMatching(/^DATABASE_URL/), expect.stringMatching(/^BASE_URL/)]);
  });

  it('refuses to reach a database on another machine in production without verified TLS', () => {
    const production = {
      NODE_ENV: 'production',
      BASE_URL: 'https://portal.example.gov.uk',
      SESSION_SECRET: 'a-production-grade-secret-of-more-than-32-characters',
      MFA_ENCRYPTION_KEY: 'a-production-grade-mfa-key-of-more-than-32-characters',
    };
    const problemsWith = (env: Record<string, string>): string[] => {
      try {
        loadConfig({ ...production, ...env });
        return [];
      } catch (err) {
        if (err instanceof ConfigError) return err.problems;
        throw err;
      }
    };
    for (const url of [
      'postgres://app@db.internal:5432/portal',
      'postgres://app@db.internal:5432/portal?sslmode=require',
      'postgres://app@10.0.0.5/portal?sslmode=prefer',
    ]) {
      expect(problemsWith({ DATABASE_URL: url })).toEqual([
        expect.stringMatching(/^DATABASE_URL must end in \?sslmode=verify-full in production/),
      ]);
    }
    expect(
      problemsWith({
        DATABASE_URL: 'postgres://app@db.internal/portal?sslmode=verify-full',
        DATABASE_MIGRATION_URL: 'postgres://owner@db.internal/portal',
      }),
    ).toEqual([expect.stringMatching(/^DATABASE_MIGRATION_URL must end in \?sslmode=verify-full/)]);
    for (const url of [
      'postgres://app@db.internal:5432/portal?sslmode=verify-full',
      'postgres://app@127.0.0.1:5432/portal',
      'postgres://app@localhost/portal',
      'postgres://app@[::1]:5432/portal',
      'postgres://app@/portal?host=/var/run/postgresql',
    ]) {
      expect(problemsWith({ DATABASE_URL: url })).toEqual([]);
    }
    // Outside production (tests, a developer's machine) any server will do.
    expect(() =>
      loadConfig({ NODE_ENV: 'test', DATABASE_URL: 'postgres://app@db.internal/portal' }),
    ).not.toThrow();
  });

  it('uses a Secure __Host- cookie and no demo data in production', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      SESSION_SECRET: 'x'.repeat(40),
      MFA_ENCRYPTION_KEY: 'm'.repeat(40),
      DATABASE_URL: 'postgres://db/portal?sslmode=verify-full',
      BASE_URL: 'https://portal.example.gov.uk/',
    });
    expect(config.session).toEqual(
      expect.objectContaining({ cookieName: '__Host-portal.sid', secureCookie: true }),
    );
    expect(config.seedDemoData).toBe(false);
    expect(config.baseUrl).toBe('https://portal.example.gov.uk');
  });

  it('returns a frozen object so nothing can change configuration at run time', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.database)).toBe(true);
  });
});
