import crypto from 'node:crypto';
import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { Counter, Histogram, Registry } from 'prom-client';
import type { Clock } from '../clock';
import { ukDate } from '../clock';
import type { Config } from '../config';
import type { Db } from '../db';
import { backlog } from './figures-repository';
import { TEMPLATES } from '../notifications/outbox';

// Prometheus metrics for operators at GET /metrics, behind a bearer token (METRICS_TOKEN; without one the
// endpoint does not exist and answers 404). HTTP counts and durations are this instance's own; the case
// figures come from the rollups at scrape time, so every instance reports the same cluster-wide values and
// a restart loses nothing. These are operational figures: nothing is suppressed, nothing is personal.

const PROCESSING_BUCKETS = [1, 2, 3, 5, 10, 15, 20, 30, 40, 60];
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

type Sample = { labels: Record<string, string>; value: number; metricName?: string };

type Snapshot = {
  submissions: Sample[];
  decisions: Sample[];
  processing: Sample[];
  open: Sample[];
  awaiting: Sample[];
  oldest: Sample[];
  overdue: Sample[];
  mailSent: Sample[];
  mailFailed: Sample[];
  mailDeferred: Sample[];
};

/** A metric whose values are read from the snapshot taken for the current scrape. */
class SnapshotMetric {
  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'counter' | 'gauge' | 'histogram',
    private readonly pick: (s: Snapshot) => Sample[],
    private readonly current: () => Snapshot | undefined,
  ) {}
  get() {
    const snapshot = this.current();
    return {
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: 'first' as const,
      values: snapshot ? this.pick(snapshot) : [],
    };
  }
}

async function takeSnapshot(db: Db, today: string): Promise<Snapshot> {
  const [days, histogram, open, overdue, mail, deferred] = await Promise.all([
    db('performance_day')
      .groupBy('service_slug')
      .select(
        'service_slug',
        db.raw('sum(received)::bigint as received'),
        db.raw('sum(approved)::bigint as approved'),
        db.raw('sum(rejected)::bigint as rejected'),
      ),
    db('processing_time_month')
      .where('unit', 'working_days')
      .groupBy('service_slug', 'days')
      .orderBy(['service_slug', 'days'])
      .select('service_slug', 'days', db.raw('sum(decisions)::bigint as decisions')),
    backlog(db),
    // Uses the (status, due_date) index: only open, overdue cases are read.
    db('submission')
      .whereIn('status', ['submitted', 'in-review'])
      .where('due_date', '<', today)
      .groupBy('service_slug')
      .select('service_slug', db.raw('count(*)::bigint as overdue')),
    // Messages by template and outcome: counts only, never addresses.
    db('notification_outbox')
      .whereIn('status', ['sent', 'dead'])
      .groupBy('template', 'status')
      .select('template', 'status', db.raw('count(*)::bigint as n')),
    // Times the per-recipient limit put a message off, by template.
    db('notification_outbox')
      .where('deferrals', '>', 0)
      .groupBy('template')
      .select('template', db.raw('sum(deferrals)::bigint as n')),
  ]);
  const snapshot: Snapshot = {
    submissions: [],
    decisions: [],
    processing: [],
    open: [],
    awaiting: [],
    oldest: [],
    overdue: [],
    mailSent: [],
    mailFailed: [],
    mailDeferred: [],
  };
  const deferrals = new Map<string, number>(
    (deferred as { template: string; n: number }[]).map((r) => [r.template, Number(r.n)]),
  );
  const mailCounts = new Map<string, number>();
  for (const r of mail as { template: string; status: string; n: number }[]) {
    mailCounts.set(`${r.template} ${r.status}`, Number(r.n));
  }
  for (const template of TEMPLATES) {
    snapshot.mailSent.push({ labels: { template }, value: mailCounts.get(`${template} sent`) ?? 0 });
    snapshot.mailFailed.push({ labels: { template }, value: mailCounts.get(`${template} dead`) ?? 0 });
    snapshot.mailDeferred.push({ labels: { template }, value: deferrals.get(template) ?? 0 });
  }
  for (const r of days as { service_slug: string; received: number; approved: number; rejected: number }[]) {
    snapshot.submissions.push({ labels: { service: r.service_slug }, value: Number(r.received) });
    snapshot.decisions.push({
      labels: { service: r.service_slug, outcome: 'approved' },
      value: Number(r.approved),
    });
    snapshot.decisions.push({
      labels: { service: r.service_slug, outcome: 'rejected' },
      value: Number(r.rejected),
    });
  }
  const byService = new Map<string, { days: number; decisions: number }[]>();
  for (const r of histogram as { service_slug: string; days: number; decisions: number }[]) {
    const list = byService.get(r.service_slug) ?? [];
    list.push({ days: Number(r.days), decisions: Number(r.decisions) });
    byService.set(r.service_slug, list);
  }
  for (const [service, rows] of byService) {
    let count = 0;
    let sum = 0;
    for (const r of rows) {
      count += r.decisions;
      sum += r.days * r.decisions;
    }
    for (const le of PROCESSING_BUCKETS) {
      const below = rows.filter((r) => r.days <= le).reduce((n, r) => n + r.decisions, 0);
      snapshot.processing.push({
        metricName: 'portal_processing_time_working_days_bucket',
        labels: { service, le: String(le) },
        value: below,
      });
    }
    snapshot.processing.push(
      {
        metricName: 'portal_processing_time_working_days_bucket',
        labels: { service, le: '+Inf' },
        value: count,
      },
      { metricName: 'portal_processing_time_working_days_sum', labels: { service }, value: sum },
      { metricName: 'portal_processing_time_working_days_count', labels: { service }, value: count },
    );
  }
  for (const r of open) {
    const labels = { service: r.serviceSlug };
    snapshot.open.push({ labels, value: r.open });
    snapshot.awaiting.push({ labels, value: r.awaitingCitizen });
    if (r.oldestReceived) {
      snapshot.oldest.push({
        labels,
        value: Math.round((Date.parse(today) - Date.parse(r.oldestReceived)) / 86_400_000),
      });
    }
  }
  for (const r of overdue as { service_slug: string; overdue: number }[]) {
    snapshot.overdue.push({ labels: { service: r.service_slug }, value: Number(r.overdue) });
  }
  return snapshot;
}

/** The route a request matched, as declared ('/services/:service/:page'), never the raw path. */
function routeOf(req: Request): string {
  if (req.route?.path) return `${req.baseUrl}${String(req.route.path)}`;
  if (req.path.startsWith('/static/') || req.path.startsWith('/assets/')) return '(static)';
  return '(unmatched)';
}

const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest();

export type OperatorMetrics = Readonly<{
  /** First in the chain: times every request and counts it by route and status. */
  measure: RequestHandler;
  /** GET /metrics. */
  router: Router;
  registry: Registry;
}>;

export function setUpOperatorMetrics(
  deps: Readonly<{ config: Config; db: Db; clock: Clock }>,
): OperatorMetrics {
  const registry = new Registry();
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({
    name: 'portal_http_requests_total',
    help: 'HTTP requests answered, by method, declared route and status code',
    labelNames,
    registers: [registry],
  });
  const durations = new Histogram({
    name: 'portal_http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by method, declared route and status code',
    labelNames,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });

  let current: Snapshot | undefined;
  const add = (
    name: string,
    help: string,
    type: 'counter' | 'gauge' | 'histogram',
    pick: (s: Snapshot) => Sample[],
  ) => registry.registerMetric(new SnapshotMetric(name, help, type, pick, () => current) as never);
  add('portal_submissions_total', 'Applications received, by service', 'counter', (s) => s.submissions);
  add(
    'portal_decisions_total',
    'Applications decided, by service and outcome',
    'counter',
    (s) => s.decisions,
  );
  add(
    'portal_processing_time_working_days',
    'Working days from sending to decision, less time waiting for the applicant, by service (all decisions)',
    'histogram',
    (s) => s.processing,
  );
  add('portal_open_cases', 'Applications not yet decided, by service', 'gauge', (s) => s.open);
  add(
    'portal_awaiting_citizen_cases',
    'Open applications waiting for the applicant, by service',
    'gauge',
    (s) => s.awaiting,
  );
  add(
    'portal_oldest_open_case_age_days',
    'Calendar days since the oldest open application was received, by service',
    'gauge',
    (s) => s.oldest,
  );
  add(
    'portal_overdue_cases',
    'Open applications past their due date with the clock running, by service',
    'gauge',
    (s) => s.overdue,
  );

  add(
    'portal_notifications_sent_total',
    'Emails sent, by template (messages deleted by retention are no longer counted)',
    'counter',
    (s) => s.mailSent,
  );
  add(
    'portal_notifications_failed_total',
    'Emails given up on after their last attempt (dead in the outbox), by template',
    'counter',
    (s) => s.mailFailed,
  );
  add(
    'portal_notifications_deferred_total',
    'Times an email was put off by the per-recipient limit (MAIL_PER_RECIPIENT_PER_HOUR), by template',
    'counter',
    (s) => s.mailDeferred,
  );

  const measure: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const labels = { method: req.method, route: routeOf(req), status: String(res.statusCode) };
      requests.inc(labels);
      durations.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };

  const router = Router();
  const token = deps.config.metricsToken;
  router.get('/metrics', async (req, res, next) => {
    if (!token) return next(); // not configured: the 404 page, as for any unknown address
    const header = req.get('authorization') ?? '';
    const given = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (!crypto.timingSafeEqual(sha256(given), sha256(token))) {
      res
        .status(401)
        .set('WWW-Authenticate', 'Bearer realm="metrics"')
        .type('text/plain')
        .send('A valid bearer token is needed.\n');
      return;
    }
    current = await takeSnapshot(deps.db, ukDate(deps.clock()));
    res.type(registry.contentType).send(await registry.metrics());
  });

  return { measure, router, registry };
}
