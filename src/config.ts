import { z } from 'zod';

// The only place that reads the environment. Everything else receives a frozen Config.

export const DEFAULT_SESSION_SECRET = 'development-only-secret-change-me-in-production';
export const DEFAULT_MFA_ENCRYPTION_KEY = 'development-only-mfa-key-change-me-in-production';

const booleanString = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, { message: 'must be a whole number' })
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: integer(0, 65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/.+/, { message: 'must be a postgres:// or postgresql:// URL' })
    .optional(),
  DATABASE_MIGRATION_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/.+/, { message: 'must be a postgres:// or postgresql:// URL' })
    .optional(),
  DATABASE_METRICS_ROLE: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'must be a lower-case PostgreSQL role name' })
    .optional(),
  DATA_DIR: z.string().min(1).default('data/pglite'),
  DB_POOL_MAX: integer(1, 100).default(10),
  DB_ACQUIRE_TIMEOUT_MS: integer(100, 60000).default(3000),
  DB_STATEMENT_TIMEOUT_MS: integer(100, 600000).default(15000),
  // Staff pages get their own pool with its own statement timeout (docs/security.md#f11), so a heavy staff query
  // cannot take the connections citizens' submits need. 0: staff share the citizens' pool.
  DB_STAFF_POOL_MAX: integer(0, 100).default(3),
  DB_STAFF_STATEMENT_TIMEOUT_MS: integer(50, 600000).default(10000),
  SESSION_SECRET: z.string().min(32, { message: 'must be at least 32 characters' }).optional(),
  SESSION_IDLE_MINUTES: integer(5, 24 * 60).default(60),
  MFA_ENCRYPTION_KEY: z.string().min(32, { message: 'must be at least 32 characters' }).optional(),
  SERVICE_NAME: z.string().min(1).max(80).default('Government services'),
  ORGANISATION_NAME: z.string().min(1).max(80).default('GOV.UK'),
  PHASE: z.enum(['alpha', 'beta', 'live']).default('beta'),
  FEEDBACK_EMAIL: z.email().default('feedback@example.gov.uk'),
  TRUST_PROXY_HOPS: integer(0, 10).default(0),
  BANK_HOLIDAY_DIVISION: z
    .enum(['england-and-wales', 'scotland', 'northern-ireland'])
    .default('england-and-wales'),
  BANK_HOLIDAYS_FILE: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  SEED_DEMO_DATA: booleanString.optional(),
  SHUTDOWN_TIMEOUT_MS: integer(1000, 120000).default(25000),
  SHUTDOWN_DRAIN_MS: integer(0, 120000).default(0),
  // Bounded waits for slow clients (docs/security.md#rel5): a request's headers, a whole request, an idle keep-alive.
  HTTP_HEADERS_TIMEOUT_MS: integer(100, 600000).default(20000),
  HTTP_REQUEST_TIMEOUT_MS: integer(100, 600000).default(30000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: integer(100, 600000).default(65000),
  METRICS_TOKEN: z
    .string()
    .min(32, { message: 'must be at least 32 characters' })
    .regex(/^[\x21-\x7e]+$/, { message: 'must be printable ASCII without spaces' })
    .optional(),
  PERFORMANCE_CACHE_SECONDS: integer(0, 3600).default(60),
  READ_ONLY: booleanString.default(false),
  MAX_IN_FLIGHT_REQUESTS: integer(0, 100000).default(200),
  MAX_EVENT_LOOP_DELAY_MS: integer(0, 60000).optional(),
  SUBMIT_LIMIT_PER_CLIENT: integer(0, 100000).default(100),
  RETENTION_MONTHS: integer(1, 1200).default(24),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/.+/, { message: 'must be an smtp:// or smtps:// URL' })
    .optional(),
  MAIL_FROM: z
    .string()
    .max(200)
    .regex(/^([^<>@]*<[^<>@\s]+@[^<>@\s]+>|[^<>@\s]+@[^<>@\s]+)$/, {
      message: 'must be an email address, or a name and an address in angle brackets',
    })
    .default('GOV.UK <noreply@example.gov.uk>'),
  WORKERS: integer(0, 16).default(1),
  MAIL_MAX_ATTEMPTS: integer(1, 50).default(10),
  MAIL_RETRY_SECONDS: integer(1, 3600).default(30),
  WORKER_POLL_MS: integer(50, 600000).default(2000),
  STATUS_LINK_DAYS: integer(1, 90).default(28),
  DRAFT_DAYS: integer(1, 90).default(28),
  DRAFT_LINK_DAYS: integer(1, 28).default(7),
  SIGN_IN_LINK_MINUTES: integer(5, 1440).default(30),
  SIGN_IN_IDLE_MINUTES: integer(5, 240).default(30),
  REMINDER_CHECK_MINUTES: integer(1, 1440).default(15),
  MAIL_PER_RECIPIENT_PER_HOUR: integer(0, 10000).default(10),
  // Uploads (src/uploads, docs/uploads.md): the ClamAV daemon, on a Unix socket or a host and port.
  CLAMD_SOCKET: z.string().max(500).optional(),
  CLAMD_HOST: z.string().max(255).optional(),
  CLAMD_PORT: integer(1, 65535).default(3310),
  CLAMD_TIMEOUT_MS: integer(100, 600000).default(15000),
  /** What one journey may keep uploaded before it is sent. */
  UPLOAD_JOURNEY_MAX_FILES: integer(1, 100).default(20),
  UPLOAD_JOURNEY_MAX_MB: integer(1, 500).default(50),
});

export type Config = Readonly<{
  env: 'development' | 'test' | 'production';
  isProduction: boolean;
  port: number;
  host: string;
  baseUrl: string;
  database: Readonly<
    | {
        kind: 'postgres';
        url: string;
        poolMax: number;
        acquireTimeoutMs: number;
        statementTimeoutMs: number;
        /** Separate roles (see db-roles.ts): migrations run as this URL's user, the schema's owner. */
        migrationUrl?: string;
        /** With migrationUrl: DATABASE_URL's user, granted DML only. */
        appRole?: string;
        /** With migrationUrl: granted SELECT on the published figures only. */
        metricsRole?: string;
        /** Staff pages' own pool (docs/security.md#f11); absent: they share the citizens' pool. */
        staff?: Readonly<{ poolMax: number; statementTimeoutMs: number }>;
      }
    | { kind: 'pglite'; dataDir: string; acquireTimeoutMs: number; statementTimeoutMs: number }
  >;
  session: Readonly<{ secret: string; idleMinutes: number; cookieName: string; secureCookie: boolean }>;
  /** Encrypts staff TOTP secrets at rest (AES-256-GCM, key derived from this value). */
  mfaEncryptionKey: string;
  branding: Readonly<{
    serviceName: string;
    organisationName: string;
    phase: 'alpha' | 'beta' | 'live';
    feedbackEmail: string;
  }>;
  trustProxyHops: number;
  /** Working days for processing targets: weekends and this division's bank holidays are excluded. */
  calendar: Readonly<{
    division: 'england-and-wales' | 'scotland' | 'northern-ireland';
    bankHolidaysFile?: string;
  }>;
  logLevel: string;
  seedDemoData: boolean;
  shutdownTimeoutMs: number;
  /** After SIGTERM, how long new requests are still served (readiness 503) before the server stops accepting. */
  shutdownDrainMs: number;
  /** How long a client may take to send its headers, its whole request, and how long an idle connection stays. */
  http: Readonly<{ headersTimeoutMs: number; requestTimeoutMs: number; keepAliveTimeoutMs: number }>;
  /** Bearer token for the Prometheus /metrics endpoint. Unset: /metrics answers 404. */
  metricsToken?: string;
  /** How long each app instance reuses the typical processing times shown on the catalogue and start pages. */
  performanceCacheSeconds: number;
  /** Read-only mode: pages can be read, but every form post answers 503 "try later". */
  readOnly: boolean;
  /** Load shedding: past either limit a request gets a fast 503 with Retry-After (0 turns a limit off). */
  backpressure: Readonly<{ maxInFlight: number; maxEventLoopDelayMs: number }>;
  /** New applications one client (IP address) may send in 10 minutes; 0 turns the limit off. */
  submitLimitPerClient: number;
  /** Decided applications older than this many months are anonymised by the retention job (src/retention). */
  retentionMonths: number;
  /** Email (src/notifications): SMTP server or, without one outside production, the development mailbox. */
  notifications: Readonly<{
    smtpUrl?: string;
    from: string;
    /** Outbox delivery loops in the web process; 0: none (run `npm run worker` instead). */
    workers: number;
    maxAttempts: number;
    retryBaseMs: number;
    pollMs: number;
    /** How long the signed link in a request for information (and its reminder) opens the status page. */
    statusLinkDays: number;
    /** How often the worker looks for requests that are due a reminder. */
    reminderCheckMs: number;
    /** Messages sent to one address in any hour, at most; more wait (not dropped). 0: no limit. */
    perRecipientPerHour: number;
  }>;
  /** Save and come back later (src/drafts): how long a draft is kept, and how long the link to it works. */
  drafts: Readonly<{ keepDays: number; linkDays: number }>;
  /** "Your applications" (src/sign-in): how long a sign-in link works, and how long a signed-in citizen may be idle. */
  signIn: Readonly<{ linkMinutes: number; idleMinutes: number }>;
  /** Uploaded evidence (src/uploads): the virus scanner and each journey's quota. */
  uploads: Readonly<{
    /** The ClamAV daemon; absent outside production: the development scanner (EICAR only). */
    clamd?: Readonly<{ socket: string } | { host: string; port: number }>;
    scanTimeoutMs: number;
    journeyMaxFiles: number;
    journeyMaxBytes: number;
  }>;
}>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parse and validate the environment once. Throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Treat empty strings as unset, as shells and .env files often produce them.
  const input = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`));
  }
  const e = parsed.data;
  const isProduction = e.NODE_ENV === 'production';
  const problems: string[] = [];

  if (isProduction && (!e.SESSION_SECRET || e.SESSION_SECRET === DEFAULT_SESSION_SECRET)) {
    problems.push('SESSION_SECRET must be set to a unique secret of at least 32 characters in production');
  }
  if (isProduction && (!e.MFA_ENCRYPTION_KEY || e.MFA_ENCRYPTION_KEY === DEFAULT_MFA_ENCRYPTION_KEY)) {
    problems.push(
      'MFA_ENCRYPTION_KEY must be set to a unique secret of at least 32 characters in production',
    );
  }
  if (isProduction && !e.DATABASE_URL) {
    problems.push('DATABASE_URL must be set in production (the embedded database is for development only)');
  }
  if (isProduction && !e.BASE_URL) {
    problems.push('BASE_URL must be set in production (absolute links never come from the Host header)');
  }
  const appRole = e.DATABASE_URL ? userOf(e.DATABASE_URL) : undefined;
  if (e.DATABASE_MIGRATION_URL && !e.DATABASE_URL) {
    problems.push('DATABASE_MIGRATION_URL needs DATABASE_URL (separate roles need a PostgreSQL server)');
  } else if (e.DATABASE_MIGRATION_URL) {
    const owner = userOf(e.DATABASE_MIGRATION_URL);
    if (!appRole || !owner || appRole === owner) {
      problems.push(
        'DATABASE_MIGRATION_URL and DATABASE_URL must each name a user, and different ones (the owner and the app role)',
      );
    } else if (e.DATABASE_METRICS_ROLE === appRole || e.DATABASE_METRICS_ROLE === owner) {
      problems.push('DATABASE_METRICS_ROLE must be a role of its own');
    }
  } else if (e.DATABASE_METRICS_ROLE) {
    problems.push('DATABASE_METRICS_ROLE needs DATABASE_MIGRATION_URL (the owner grants it)');
  }
  if (isProduction) {
    for (const [name, url] of [
      ['DATABASE_URL', e.DATABASE_URL],
      ['DATABASE_MIGRATION_URL', e.DATABASE_MIGRATION_URL],
    ] as const) {
      if (url && !onThisMachine(url) && sslModeOf(url) !== 'verify-full') {
        problems.push(
          `${name} must end in ?sslmode=verify-full in production when the database is not on this machine (TLS that checks the server's certificate and name)`,
        );
      }
    }
  }
  if (e.SHUTDOWN_DRAIN_MS >= e.SHUTDOWN_TIMEOUT_MS) {
    problems.push(
      'SHUTDOWN_DRAIN_MS must be shorter than SHUTDOWN_TIMEOUT_MS (the deadline counts the drain too)',
    );
  }
  if (e.HTTP_HEADERS_TIMEOUT_MS > e.HTTP_REQUEST_TIMEOUT_MS) {
    problems.push(
      'HTTP_HEADERS_TIMEOUT_MS must not be longer than HTTP_REQUEST_TIMEOUT_MS (the headers are part of the request)',
    );
  }
  if (e.CLAMD_SOCKET && e.CLAMD_HOST) {
    problems.push('CLAMD_SOCKET and CLAMD_HOST name two scanners: set one of them');
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const database: Config['database'] = e.DATABASE_URL
    ? {
        kind: 'postgres',
        url: e.DATABASE_URL,
        poolMax: e.DB_POOL_MAX,
        acquireTimeoutMs: e.DB_ACQUIRE_TIMEOUT_MS,
        statementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS,
        ...(e.DB_STAFF_POOL_MAX > 0
          ? {
              staff: Object.freeze({
                poolMax: e.DB_STAFF_POOL_MAX,
                statementTimeoutMs: e.DB_STAFF_STATEMENT_TIMEOUT_MS,
              }),
            }
          : {}),
        ...(e.DATABASE_MIGRATION_URL
          ? { migrationUrl: e.DATABASE_MIGRATION_URL, appRole, metricsRole: e.DATABASE_METRICS_ROLE }
          : {}),
      }
    : {
        kind: 'pglite',
        dataDir: e.DATA_DIR,
        acquireTimeoutMs: e.DB_ACQUIRE_TIMEOUT_MS,
        statementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS,
      };

  return Object.freeze({
    env: e.NODE_ENV,
    isProduction,
    port: e.PORT,
    host: e.HOST,
    baseUrl: (e.BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    database: Object.freeze(database),
    session: Object.freeze({
      secret: e.SESSION_SECRET ?? DEFAULT_SESSION_SECRET,
      idleMinutes: e.SESSION_IDLE_MINUTES,
      // The __Host- prefix makes browsers refuse the cookie unless it is Secure, host-only and Path=/.
      cookieName: isProduction ? '__Host-portal.sid' : 'portal.sid',
      secureCookie: isProduction,
    }),
    mfaEncryptionKey: e.MFA_ENCRYPTION_KEY ?? DEFAULT_MFA_ENCRYPTION_KEY,
    branding: Object.freeze({
      serviceName: e.SERVICE_NAME,
      organisationName: e.ORGANISATION_NAME,
      phase: e.PHASE,
      feedbackEmail: e.FEEDBACK_EMAIL,
    }),
    trustProxyHops: e.TRUST_PROXY_HOPS,
    calendar: Object.freeze({ division: e.BANK_HOLIDAY_DIVISION, bankHolidaysFile: e.BANK_HOLIDAYS_FILE }),
    logLevel: e.LOG_LEVEL ?? (e.NODE_ENV === 'test' ? 'silent' : 'info'),
    seedDemoData: e.SEED_DEMO_DATA ?? !isProduction,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    shutdownDrainMs: e.SHUTDOWN_DRAIN_MS,
    http: Object.freeze({
      headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    }),
    metricsToken: e.METRICS_TOKEN,
    performanceCacheSeconds: e.PERFORMANCE_CACHE_SECONDS,
    readOnly: e.READ_ONLY,
    submitLimitPerClient: e.SUBMIT_LIMIT_PER_CLIENT,
    retentionMonths: e.RETENTION_MONTHS,
    notifications: Object.freeze({
      smtpUrl: e.SMTP_URL,
      from: e.MAIL_FROM,
      workers: e.WORKERS,
      maxAttempts: e.MAIL_MAX_ATTEMPTS,
      retryBaseMs: e.MAIL_RETRY_SECONDS * 1000,
      pollMs: e.WORKER_POLL_MS,
      statusLinkDays: e.STATUS_LINK_DAYS,
      reminderCheckMs: e.REMINDER_CHECK_MINUTES * 60 * 1000,
      perRecipientPerHour: e.MAIL_PER_RECIPIENT_PER_HOUR,
    }),
    drafts: Object.freeze({ keepDays: e.DRAFT_DAYS, linkDays: Math.min(e.DRAFT_LINK_DAYS, e.DRAFT_DAYS) }),
    signIn: Object.freeze({ linkMinutes: e.SIGN_IN_LINK_MINUTES, idleMinutes: e.SIGN_IN_IDLE_MINUTES }),
    uploads: Object.freeze({
      clamd: e.CLAMD_SOCKET
        ? Object.freeze({ socket: e.CLAMD_SOCKET })
        : e.CLAMD_HOST
          ? Object.freeze({ host: e.CLAMD_HOST, port: e.CLAMD_PORT })
          : undefined,
      scanTimeoutMs: e.CLAMD_TIMEOUT_MS,
      journeyMaxFiles: e.UPLOAD_JOURNEY_MAX_FILES,
      journeyMaxBytes: e.UPLOAD_JOURNEY_MAX_MB * 1024 * 1024,
    }),
    backpressure: Object.freeze({
      maxInFlight: e.MAX_IN_FLIGHT_REQUESTS,
      // Off in tests by default: the embedded database runs on the event loop, and a slow CI machine must not
      // turn a test's request into a 503.
      maxEventLoopDelayMs: e.MAX_EVENT_LOOP_DELAY_MS ?? (e.NODE_ENV === 'test' ? 0 : 1000),
    }),
  });
}

/** Whether a postgres:// URL reaches the server over loopback or a Unix socket (no network to protect). */
function onThisMachine(url: string): boolean {
  // A socket directory as the host (`postgres://user@/db?host=/var/run/postgresql`): not a WHATWG URL.
  if (/[?&]host=(\/|%2F)/i.test(url)) return true;
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
  } catch {
    return false;
  }
}

/** The sslmode a postgres:// URL asks for, or undefined. */
function sslModeOf(url: string): string | undefined {
  const match = /[?&]sslmode=([^&#]*)/.exec(url);
  return match ? decodeURIComponent(match[1]!) : undefined;
}

/** The user named in a postgres:// URL, or undefined. */
function userOf(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).username) || undefined;
  } catch {
    return undefined;
  }
}
