import type { Request, Response } from 'express';
import { field, formWith } from '../middleware/form-fields';
import { ukDate } from '../clock';
import type { Db } from '../db';
import { cleanText } from '../questions/sanitise';
import { stringField } from '../questions/question-type';
import { staffOf, type StaffRouter } from '../staff/access';
import { recordAudit } from '../staff/audit-repository';
import { teamWorkload } from '../staff/case-repository';
import type { StaffDeps } from '../staff/deps';
import { costMonths, saveCostMonth } from '../metrics/figures-repository';
import { addMonths, monthName, recentMonths } from '../metrics/period';
import { formatPounds } from './format';
import { DEFAULT_MONTHS, readPeriod } from './performance';
import { cachedReport } from './report';
import { headline, rangeText } from './view-model';

// The back office's performance pages:
// - managers: the published figures for their services beside their team's workload (/staff/performance);
// - administrators: the monthly running costs and offline transactions that cost per transaction and digital
//   take-up are built from (/staff/services), each change audited.

const MANAGER = ['manager'] as const;
const ADMIN = ['admin'] as const;
const MONTHS_OFFERED = 24;
const MAX_COST_PENCE = 100_000_000_000; // £1,000,000,000
const MAX_OFFLINE = 10_000_000;

type FormError = { text: string; href: string };

/** '£12,500.50' or '12500' or '12,500' as pence, or undefined when it is not an amount of money. */
export function parsePounds(input: string): number | undefined {
  const text = input.replace(/^£/, '').replace(/,(?=\d{3}(\D|$))/g, '');
  if (!/^\d{1,12}(\.\d{1,2})?$/.test(text)) return undefined;
  const [pounds, pence = ''] = text.split('.') as [string, string?];
  return Number(pounds) * 100 + Number(pence.padEnd(2, '0'));
}

export function registerPerformanceRoutes(staff: StaffRouter, deps: StaffDeps): void {
  const today = () => ukDate(deps.clock());

  /** GET /staff/performance — managers: the public figures for their services, and their team's workload. */
  staff.get('/staff/performance', MANAGER, async (req: Request, res: Response) => {
    const me = staffOf(req);
    const services = deps.registry.services.filter((s) => me.agencies.includes(s.agency.id));
    const choice = readPeriod(req.query, today());
    const period = choice.ok ? choice.period : recentMonths(today(), DEFAULT_MONTHS);
    const [data, team] = await Promise.all([
      cachedReport(deps, services, {
        period,
        today: today(),
        now: deps.clock(),
        baseUrl: deps.config.baseUrl,
        detail: false,
      }),
      teamWorkload(
        deps.db,
        services.map((s) => s.slug),
        today(),
      ),
    ]);
    res.render('staff/performance', {
      navigation: 'performance',
      period: rangeText(data.period),
      previousPeriod: rangeText(data.previous_period),
      asAt: rangeText({ start: data.backlog_as_at, end: data.backlog_as_at }),
      services: data.services.map((s) => headline(data, s)),
      team: team.map((r) => ({
        ...r,
        href: `/staff?assignee=${r.id === null ? 'unassigned' : r.id}`,
      })),
    });
  });

  const offeredMonths = () => {
    const current = today().slice(0, 7);
    return Array.from({ length: MONTHS_OFFERED }, (_v, i) => addMonths(current, -i));
  };

  async function renderServices(
    req: Request,
    res: Response,
    state: { status?: number; errors?: FormError[]; values?: Record<string, string> } = {},
  ) {
    const months = offeredMonths();
    const rows = await costMonths(
      deps.db,
      deps.registry.services.map((s) => s.slug),
      months[months.length - 1]!,
      months[0]!,
    );
    const chosen = deps.registry.find(
      state.values?.service ?? (typeof req.query.service === 'string' ? req.query.service : ''),
    );
    const values = state.values ?? {
      service: chosen?.slug ?? '',
      month: addMonths(today().slice(0, 7), -1),
      cost: '',
      offline: '',
    };
    const saved =
      typeof req.query.saved === 'string' && /^\d{4}-\d{2}$/.test(req.query.saved)
        ? req.query.saved
        : undefined;
    const errorAt = (href: string) => state.errors?.find((e) => e.href === href);
    res.status(state.status ?? 200).render('staff/services', {
      navigation: 'services',
      monthsOffered: MONTHS_OFFERED,
      errorList: state.errors ?? [],
      serviceError: errorAt('#service'),
      monthError: errorAt('#month'),
      costError: errorAt('#cost'),
      offlineError: errorAt('#offline'),
      values,
      saved: saved && chosen ? `Figures saved for ${chosen.title}, ${monthName(saved)}` : undefined,
      serviceItems: [
        { value: '', text: 'Choose a service' },
        ...deps.registry.services.map((s) => ({
          value: s.slug,
          text: s.title,
          selected: s.slug === values.service,
        })),
      ],
      monthItems: months.map((m) => ({ value: m, text: monthName(m), selected: m === values.month })),
      services: deps.registry.services.map((s) => {
        const mine = rows.filter((r) => r.serviceSlug === s.slug);
        const latest = mine[mine.length - 1];
        return {
          slug: s.slug,
          title: s.title,
          agency: s.agency.name,
          months: mine.length,
          latest: latest ? monthName(latest.month) : 'None',
        };
      }),
      chosen: chosen && {
        title: chosen.title,
        rows: rows
          .filter((r) => r.serviceSlug === chosen.slug)
          .reverse()
          .map((r) => ({
            month: monthName(r.month),
            cost: formatPounds(r.costPence / 100),
            offline: r.offlineTransactions.toLocaleString('en-GB'),
            updated: ukDate(r.updatedAt),
          })),
      },
    });
  }

  /** GET /staff/services — administrators: the figures each service has, and the form to enter a month's. */
  staff.get('/staff/services', ADMIN, (req: Request, res: Response) => renderServices(req, res));

  /** POST /staff/services — save one service's figures for one month (replacing any already there), audited. */
  staff.post(
    '/staff/services',
    ADMIN,
    formWith({ service: field, month: field, cost: field, offline: field }),
    async (req: Request, res: Response) => {
      const body = req.body ?? {};
      const values = {
        service: stringField(body, 'service'),
        month: stringField(body, 'month'),
        cost: cleanText(stringField(body, 'cost')).replace(/\s/g, ''),
        offline: cleanText(stringField(body, 'offline')).replace(/[\s,]/g, ''),
      };
      const errors: FormError[] = [];
      const service = deps.registry.find(values.service);
      if (!service) errors.push({ text: 'Select the service the figures are for', href: '#service' });
      if (!offeredMonths().includes(values.month)) {
        errors.push({ text: 'Select the month the figures are for', href: '#month' });
      }
      const costPence = parsePounds(values.cost);
      if (!values.cost)
        errors.push({ text: 'Enter the cost of running the service in the month', href: '#cost' });
      else if (costPence === undefined)
        errors.push({ text: 'Cost must be an amount of money, like 12500 or 12500.50', href: '#cost' });
      else if (costPence > MAX_COST_PENCE)
        errors.push({ text: 'Cost must be £1,000,000,000 or less', href: '#cost' });
      if (!values.offline) {
        errors.push({
          text: 'Enter the number of transactions by post, phone or in person',
          href: '#offline',
        });
      } else if (!/^\d{1,9}$/.test(values.offline)) {
        errors.push({
          text: 'Transactions by post, phone or in person must be a whole number, like 250',
          href: '#offline',
        });
      } else if (Number(values.offline) > MAX_OFFLINE) {
        errors.push({
          text: 'Transactions by post, phone or in person must be 10,000,000 or less',
          href: '#offline',
        });
      }
      if (errors.length > 0 || !service || costPence === undefined) {
        await renderServices(req, res, { status: 422, errors, values });
        return;
      }
      const me = staffOf(req);
      const figures = {
        serviceSlug: service.slug,
        month: values.month,
        costPence,
        offlineTransactions: Number(values.offline),
      };
      await saveCostMonth(deps.db, { ...figures, updatedBy: me.userId, updatedAt: deps.clock() }, (trx: Db) =>
        recordAudit(trx, {
          actorId: me.userId,
          actorRole: me.role,
          action: 'service-figures-saved',
          requestId: String(req.id),
          details: figures,
        }),
      );
      res.redirect(303, `/staff/services?service=${service.slug}&saved=${values.month}`);
    },
  );
}
