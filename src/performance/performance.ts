import { Router, type Request, type Response } from 'express';
import type { Clock } from '../clock';
import { ukDate } from '../clock';
import type { Config } from '../config';
import type { Db } from '../db';
import type { ServiceRegistry } from '../definitions/registry';
import type { ServiceDefinition } from '../definitions/types';
import {
  MONTH,
  addMonths,
  monthName,
  monthPeriod,
  monthsBetween,
  recentMonths,
  type Period,
} from '../metrics/period';
import { reportCsv, CSV_COLUMNS, MEASURES } from './open-data';
import { cachedReport, SUPPRESSION_THRESHOLD, type Report } from './report';
import type { PageCache } from '../middleware/page-cache';
import { TYPICAL_TIME_MONTHS } from './typical-time';
import { charts, headline, rangeText } from './view-model';

export type PerformanceDeps = Readonly<{
  config: Config;
  db: Db;
  registry: ServiceRegistry;
  clock: Clock;
  /** The same for everyone: each page is rendered once per report (the report cache decides when it is new). */
  pages?: PageCache;
}>;

export const DEFAULT_MONTHS = TYPICAL_TIME_MONTHS;
const MAX_MONTHS = 36;
const PRESETS = [3, 6, 12, 24] as const;
// Open data is the same for everyone and changes slowly: shared caches may keep it for 5 minutes.
const OPEN_DATA_CACHE = 'public, max-age=300';

type PeriodChoice =
  | { ok: true; period: Period; from: string; to: string; custom: boolean }
  | { ok: false; errors: { text: string; href: string }[]; from: string; to: string };

/** The period asked for: ?months=N (ending this month) or ?from=YYYY-MM&to=YYYY-MM; the last 3 months by default. */
export function readPeriod(query: Request['query'], today: string): PeriodChoice {
  const current = today.slice(0, 7);
  const earliest = addMonths(current, -(MAX_MONTHS * 2 - 1));
  const from = typeof query.from === 'string' ? query.from : '';
  const to = typeof query.to === 'string' ? query.to : '';
  if (from || to) {
    const errors: { text: string; href: string }[] = [];
    if (!MONTH.test(from) || from < earliest || from > current)
      errors.push({ text: 'Select a month to start from', href: '#from' });
    if (!MONTH.test(to) || to < earliest || to > current)
      errors.push({ text: 'Select a month to end with', href: '#to' });
    if (errors.length === 0 && from > to)
      errors.push({
        text: 'The month to start from must be the same as or before the month to end with',
        href: '#from',
      });
    if (errors.length === 0 && monthsBetween(from, to) > MAX_MONTHS)
      errors.push({ text: `Choose a period of ${MAX_MONTHS} months or less`, href: '#from' });
    if (errors.length > 0) return { ok: false, errors, from, to };
    return { ok: true, period: monthPeriod(from, to, today), from, to, custom: true };
  }
  const months =
    typeof query.months === 'string' && /^\d{1,2}$/.test(query.months)
      ? Number(query.months)
      : DEFAULT_MONTHS;
  const count = Math.min(MAX_MONTHS, Math.max(1, months));
  const period = recentMonths(today, count);
  return { ok: true, period, from: period.months[0]!, to: current, custom: false };
}

/** The query string that asks for the same period, for links between the pages and to the data. */
function periodQuery(choice: Extract<PeriodChoice, { ok: true }>): string {
  if (choice.custom) return `?from=${choice.from}&to=${choice.to}`;
  return choice.period.months.length === DEFAULT_MONTHS ? '' : `?months=${choice.period.months.length}`;
}

function periodForm(today: string, choice: PeriodChoice) {
  const current = today.slice(0, 7);
  const months = Array.from({ length: MAX_MONTHS }, (_v, i) => addMonths(current, -i));
  const items = (selected: string) =>
    months.map((m) => ({ value: m, text: monthName(m), selected: m === selected }));
  const errorAt = (href: string) =>
    choice.ok ? undefined : choice.errors.find((e) => e.href === href)?.text;
  return {
    fromError: errorAt('#from'),
    toError: errorAt('#to'),
    fromItems: items(choice.from),
    toItems: items(choice.to),
    presets: PRESETS.map((n) => ({
      text: `Last ${n} months`,
      href: n === DEFAULT_MONTHS ? '' : `?months=${n}`,
      current: choice.ok && !choice.custom && choice.period.months.length === n,
    })),
  };
}

export function setUpPerformance(deps: PerformanceDeps): Router {
  const router = Router();
  const today = () => ukDate(deps.clock());

  const report = (services: readonly ServiceDefinition[], period: Period, detail: boolean): Promise<Report> =>
    cachedReport(deps, services, {
      period,
      today: today(),
      now: deps.clock(),
      baseUrl: deps.config.baseUrl,
      detail,
    });

  /**
   * A published page: from the page cache while its report is the same object (the report cache hands out one per
   * period until it expires), else rendered. Keyed by the period's canonical query, so odd spellings of the same
   * period share an entry (and the cache's size limit bounds the rest).
   */
  const render = (
    res: Response,
    key: string,
    view: string,
    data: Report,
    context: () => Record<string, unknown>,
  ) => {
    if (deps.pages) deps.pages.send(res, `performance:${key}`, view, context, data);
    else res.render(view, context());
  };

  const openData = (res: Response) => {
    res.setHeader('Cache-Control', OPEN_DATA_CACHE);
    res.setHeader('Access-Control-Allow-Origin', '*');
  };

  /** Open data for a period that is not valid is a 400 with the reasons, in the format asked for. */
  const badPeriod = (res: Response, choice: Extract<PeriodChoice, { ok: false }>, format: 'json' | 'csv') => {
    res.status(400);
    if (format === 'json') res.json({ errors: choice.errors.map((e) => e.text) });
    else res.type('text/plain').send(`${choice.errors.map((e) => e.text).join('\n')}\n`);
  };

  const sendJson = async (res: Response, services: readonly ServiceDefinition[], choice: PeriodChoice) => {
    if (!choice.ok) return badPeriod(res, choice, 'json');
    const data = await report(services, choice.period, true);
    openData(res);
    res.json(data);
  };

  const sendCsv = async (
    res: Response,
    services: readonly ServiceDefinition[],
    choice: PeriodChoice,
    name: string,
  ) => {
    if (!choice.ok) return badPeriod(res, choice, 'csv');
    const data = await report(services, choice.period, true);
    openData(res);
    res
      .type('text/csv; charset=utf-8')
      .set(
        'Content-Disposition',
        `inline; filename="${name}-${choice.period.start}-to-${choice.period.end}.csv"`,
      )
      .send(reportCsv(data));
  };

  router.get('/performance', async (req, res) => {
    const choice = readPeriod(req.query, today());
    const form = periodForm(today(), choice);
    if (!choice.ok) {
      res.status(422).render('performance/overview', { errorList: choice.errors, form });
      return;
    }
    const data = await report(deps.registry.services, choice.period, false);
    const query = periodQuery(choice);
    render(res, `overview${query}`, 'performance/overview', data, () => ({
      form,
      period: rangeText(data.period),
      previousPeriod: rangeText(data.previous_period),
      asAt: rangeText({ start: data.backlog_as_at, end: data.backlog_as_at }),
      services: data.services.map((s) => ({
        ...headline(data, s),
        href: `/performance/${s.service}${query}`,
      })),
      jsonHref: `/performance/data.json${query}`,
      csvHref: `/performance/data.csv${query}`,
    }));
  });

  router.get('/performance/about-the-data', (_req, res) => {
    res.render('performance/about-the-data', {
      threshold: SUPPRESSION_THRESHOLD,
      columns: CSV_COLUMNS,
      measures: Object.entries(MEASURES).map(([name, m]) => ({ name, unit: m.unit })),
      defaultMonths: DEFAULT_MONTHS,
      example: deps.registry.services[0]?.slug ?? 'register-a-vehicle',
    });
  });

  router.get('/performance/data.json', (req, res) =>
    sendJson(res, deps.registry.services, readPeriod(req.query, today())),
  );
  router.get('/performance/data.csv', (req, res) =>
    sendCsv(res, deps.registry.services, readPeriod(req.query, today()), 'performance-all-services'),
  );

  const serviceOf = (req: Request, res: Response): ServiceDefinition | undefined => {
    const service = deps.registry.find(String(req.params.service));
    if (!service) res.status(404).render('errors/not-found');
    return service;
  };

  router.get('/performance/:service', async (req, res) => {
    const service = serviceOf(req, res);
    if (!service) return;
    const choice = readPeriod(req.query, today());
    const form = periodForm(today(), choice);
    if (!choice.ok) {
      res.status(422).render('performance/service', {
        errorList: choice.errors,
        form,
        service: { title: service.title, slug: service.slug },
      });
      return;
    }
    const data = await report([service], choice.period, true);
    const s = data.services[0]!;
    const query = periodQuery(choice);
    render(res, `service:${service.slug}${query}`, 'performance/service', data, () => ({
      form,
      service: { title: service.title, slug: service.slug },
      figures: headline(data, s),
      charts: charts(data, s),
      period: rangeText(data.period),
      previousPeriod: rangeText(data.previous_period),
      trendPeriod: rangeText(data.trend_period),
      asAt: rangeText({ start: data.backlog_as_at, end: data.backlog_as_at }),
      jsonHref: `/performance/${service.slug}/data.json${query}`,
      csvHref: `/performance/${service.slug}/data.csv${query}`,
    }));
  });

  router.get('/performance/:service/data.json', (req, res) => {
    const service = serviceOf(req, res);
    if (service) return sendJson(res, [service], readPeriod(req.query, today()));
  });
  router.get('/performance/:service/data.csv', (req, res) => {
    const service = serviceOf(req, res);
    if (service)
      return sendCsv(res, [service], readPeriod(req.query, today()), `performance-${service.slug}`);
  });

  return router;
}
