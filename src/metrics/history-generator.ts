import crypto from 'node:crypto';
import type { Knex } from 'knex';
import type { Db } from '../db';
import { addDays, type WorkingDayCalendar } from '../calendar/working-days';
import { nextTargets } from '../definitions/registry';
import { CHECK_ANSWERS, type ServiceDefinition } from '../definitions/types';
import { checkCharacter, REFERENCE_ALPHABET } from '../submissions/reference';
import { STARTED } from './journey-count-repository';
import { ukDay } from './processing-time';
import {
  addBatchToRollups,
  addCaseToBatch,
  addRatingToBatch,
  emptyRollupBatch,
  type RollupBatch,
} from './rollup-repository';

// A realistic history of applications for every service, for demonstrations and load tests: seasonal volumes,
// a spread of processing times around each target (some overdue), requests for information that pause the
// clock, open cases of every status, satisfaction answers, journey start and page counts, and monthly costs.
// Rows are written in chronological batches, each in one transaction with its rollup increments, so the
// published figures are consistent at every commit and the live app can keep running on a PostgreSQL server.
//
// Seeded applications keep no answers (their definition snapshot has no pages): the figures are the point, and a
// million full snapshots would cost gigabytes.

export type HistoryOptions = Readonly<{
  submissions: number;
  /** The end of the history: nothing is sent or decided after it. It starts up to `days` days before. */
  now: Date;
  days?: number;
  seed?: number;
  batchSize?: number;
  onProgress?: (done: number) => void;
}>;

export type HistorySummary = Readonly<{
  submissions: number;
  decided: number;
  open: number;
  awaitingCitizen: number;
  surveyResponses: number;
  first: string;
  last: string;
}>;

/** A small, fast, seedable generator (mulberry32), so the same seed gives the same history. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Profile = Readonly<{
  share: number;
  /** Relative demand by calendar month, January first. */
  seasons: readonly number[];
  /** Median processing time as a share of the target. */
  speed: number;
  pauseRate: number;
  rejectRate: number;
  completionRate: number;
  surveyRate: number;
  /** Share of answers 5, 4, 3, 2, 1. */
  ratings: readonly number[];
  offlineShare: number;
  costPerDigital: number;
  costPerOffline: number;
}>;

const FLAT = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1];

// Known services get a shape of their own; any other service gets the default.
const PROFILES: Readonly<Record<string, Partial<Profile>>> = {
  'register-a-vehicle': {
    share: 0.3,
    seasons: [0.9, 0.9, 1.6, 1, 0.9, 0.9, 0.9, 0.9, 1.5, 1, 0.9, 0.8],
    speed: 0.5,
  },
  'file-a-self-assessment-tax-return': {
    share: 0.25,
    seasons: [3.2, 0.7, 0.6, 0.8, 0.6, 0.6, 0.7, 0.7, 0.8, 1.2, 1.4, 1.8],
    speed: 0.45,
    pauseRate: 0.1,
    offlineShare: 0.08,
  },
  'apply-for-a-rod-fishing-licence': {
    share: 0.15,
    seasons: [0.5, 0.7, 1.6, 1.8, 1.6, 1.3, 1.1, 0.9, 0.8, 0.6, 0.5, 0.6],
    speed: 0.4,
    pauseRate: 0.03,
    rejectRate: 0.03,
  },
  'register-to-vote': {
    share: 0.15,
    seasons: [0.8, 1.1, 1.6, 1.9, 0.7, 0.6, 0.6, 0.7, 1, 1.4, 1.2, 0.8],
    speed: 0.55,
    offlineShare: 0.35,
  },
  'report-a-pothole': {
    share: 0.1,
    seasons: [1.7, 1.8, 1.5, 1, 0.7, 0.6, 0.6, 0.6, 0.7, 0.9, 1.2, 1.6],
    speed: 0.6,
    pauseRate: 0.05,
    rejectRate: 0.2,
    offlineShare: 0.25,
  },
  'apply-for-a-blue-badge': { share: 0.05, speed: 0.6, pauseRate: 0.3, rejectRate: 0.25, offlineShare: 0.6 },
};

const profileOf = (slug: string): Profile => ({
  share: 0.1,
  seasons: FLAT,
  speed: 0.55,
  pauseRate: 0.15,
  rejectRate: 0.12,
  completionRate: 0.6 + (slug.length % 7) * 0.04,
  surveyRate: 0.12,
  ratings: [0.42, 0.36, 0.1, 0.07, 0.05],
  offlineShare: 0.2,
  costPerDigital: 3.5 + (slug.length % 5),
  costPerOffline: 14 + (slug.length % 9) * 2,
  ...PROFILES[slug],
});

const DAY_MS = 86_400_000;

/** Pages some journeys skip: a path exists from the first page to check answers that avoids them. */
function conditionalPages(service: ServiceDefinition): Set<string> {
  const index = new Map(service.pages.map((p, i) => [p.id, i]));
  const avoidable = new Set<string>();
  for (const page of service.pages) {
    const seen = new Set<string>();
    const stack = [service.pages[0]!.id];
    let reached = false;
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (id === CHECK_ANSWERS) {
        reached = true;
        break;
      }
      if (id === page.id || seen.has(id)) continue;
      seen.add(id);
      stack.push(...nextTargets(service, index.get(id)!));
    }
    if (reached) avoidable.add(page.id);
  }
  return avoidable;
}

function pick<T>(random: () => number, items: readonly T[], weights: readonly number[]): T {
  let r = random() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < items.length; i++) {
    r -= weights[i]!;
    if (r <= 0) return items[i]!;
  }
  return items[items.length - 1]!;
}

/** A standard normal deviate (Box-Muller). */
const normal = (random: () => number) =>
  Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

type Planned = {
  id: number;
  reference: string;
  service: ServiceDefinition;
  submittedAt: Date;
  status: 'submitted' | 'in-review' | 'awaiting-citizen' | 'approved' | 'rejected';
  decidedAt: Date | null;
  dueDate: string;
  awaitingSince: Date | null;
  requestedAt: Date | null;
  repliedAt: Date | null;
  pausedSeconds: number;
  pausedWorkingDays: number;
};

const at = (day: string, hourUtc: number) => new Date(Date.parse(`${day}T00:00:00Z`) + hourUtc * 3_600_000);

/** Generate and store the history. Returns what it wrote. */
export async function generateHistory(
  db: Db,
  services: readonly ServiceDefinition[],
  calendar: WorkingDayCalendar,
  options: HistoryOptions,
): Promise<HistorySummary> {
  const random = seededRandom(options.seed ?? 20261129);
  const days = options.days ?? 730;
  const now = options.now;
  const today = ukDay(now);
  const first = addDays(today, -(days - 1));
  const batchSize = options.batchSize ?? 5000;
  const dayList = Array.from({ length: days }, (_v, i) => addDays(first, i));

  // How many applications each service gets on each day: its share, its seasons, weekdays over weekends,
  // quieter bank holidays, and slow growth over the two years.
  const plan: { service: ServiceDefinition; day: string }[] = [];
  const profiles = new Map(services.map((s) => [s.slug, profileOf(s.slug)]));
  const totalShare = services.reduce((sum, s) => sum + profiles.get(s.slug)!.share, 0);
  for (const service of services) {
    const p = profiles.get(service.slug)!;
    const weights = dayList.map((day, i) => {
      const weekday = new Date(Date.parse(day)).getUTCDay();
      const week = weekday === 0 ? 0.35 : weekday === 6 ? 0.45 : 1;
      const holiday = weekday !== 0 && weekday !== 6 && !calendar.isWorkingDay(day) ? 0.4 : 1;
      return p.seasons[Number(day.slice(5, 7)) - 1]! * week * holiday * (0.85 + (0.3 * i) / days);
    });
    const total = weights.reduce((a, b) => a + b, 0);
    const wanted = Math.round((options.submissions * p.share) / totalShare);
    weights.forEach((w, i) => {
      const exact = (wanted * w) / total;
      let n = Math.floor(exact);
      if (random() < exact - n) n++;
      for (let k = 0; k < n; k++) plan.push({ service, day: dayList[i]! });
    });
  }
  // Chronological order, so each batch touches few rollup rows.
  plan.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));

  const used = new Set<string>();
  const newReference = () => {
    for (;;) {
      let body = '';
      for (let i = 0; i < 9; i++)
        body += REFERENCE_ALPHABET[Math.floor(random() * REFERENCE_ALPHABET.length)];
      const reference = body + checkCharacter(body);
      if (!used.has(reference)) {
        used.add(reference);
        return reference;
      }
    }
  };

  const snapshots = new Map(
    services.map((s) => [
      s.slug,
      JSON.stringify({
        slug: s.slug,
        version: s.version,
        title: s.title,
        agency: s.agency,
        processingTargetWorkingDays: s.processingTargetWorkingDays,
        pages: [],
        sections: [],
      }),
    ]),
  );

  const summary = { submissions: 0, decided: 0, open: 0, awaitingCitizen: 0, surveyResponses: 0 };
  const sentPerDay = new Map<string, number>();

  for (let start = 0; start < plan.length; start += batchSize) {
    const slice = plan.slice(start, start + batchSize);
    await db.transaction(async (trx) => {
      const ids: number[] = (
        await trx.raw(`select nextval('submission_id_seq')::bigint as id from generate_series(1, ?)`, [
          slice.length,
        ])
      ).rows.map((r: { id: number | string }) => Number(r.id));
      const cases: Planned[] = slice.map(({ service, day }, i) => {
        const p = profiles.get(service.slug)!;
        const target = service.processingTargetWorkingDays;
        // Sent between 07:00 and 21:00 UTC (the same UK day), and never after `now`.
        const opens = at(day, 7).getTime();
        const closes = Math.min(at(day, 21).getTime(), now.getTime() - 60_000);
        const submittedAt = new Date(opens + Math.floor(random() * Math.max(0, closes - opens)));
        // Busy months are slower: the median rises with demand.
        const load = p.seasons[Number(day.slice(5, 7)) - 1]!;
        const median = Math.max(0.3, target * p.speed * Math.sqrt(load));
        let working = Math.max(0, Math.round(median * Math.exp(0.55 * normal(random))));
        if (random() < 0.004) working = Math.round(target * (2 + random() * 3)); // a few stuck cases
        const paused = random() < p.pauseRate && working >= 1;
        const requestAfter = paused ? 1 + Math.floor(random() * working) : 0;
        const waitDays = paused ? 1 + Math.floor(-Math.log(1 - random()) * 4) : 0;
        const requestDay = paused ? calendar.addWorkingDays(day, requestAfter) : null;
        const replyDay = requestDay ? calendar.addWorkingDays(requestDay, waitDays) : null;
        const requestedAt = requestDay ? at(requestDay, 9 + random() * 2) : null;
        const repliedAt = replyDay ? at(replyDay, 11 + random() * 2) : null;
        const pausedWorkingDays =
          requestDay && replyDay ? calendar.workingDaysBetween(requestDay, replyDay) : 0;
        const decisionDay = calendar.addWorkingDays(day, working + pausedWorkingDays);
        let decidedAt: Date | null = at(decisionDay, 13.5 + random() * 3.5);
        if (decidedAt <= submittedAt) decidedAt = new Date(submittedAt.getTime() + 3_600_000);
        let status: Planned['status'];
        let awaitingSince: Date | null = null;
        let pausedSeconds = 0;
        let counted = pausedWorkingDays;
        if (decidedAt <= now) {
          status = random() < p.rejectRate ? 'rejected' : 'approved';
          if (requestedAt && repliedAt)
            pausedSeconds = Math.round((repliedAt.getTime() - requestedAt.getTime()) / 1000);
        } else {
          decidedAt = null;
          if (requestedAt && requestedAt <= now && (!repliedAt || repliedAt > now)) {
            status = 'awaiting-citizen';
            awaitingSince = requestedAt;
            counted = 0;
          } else {
            status = now.getTime() - submittedAt.getTime() < 0.8 * DAY_MS ? 'submitted' : 'in-review';
            if (requestedAt && repliedAt && repliedAt <= now) {
              pausedSeconds = Math.round((repliedAt.getTime() - requestedAt.getTime()) / 1000);
            } else counted = 0;
          }
        }
        return {
          id: ids[i]!,
          reference: newReference(),
          service,
          submittedAt,
          status,
          decidedAt,
          dueDate: calendar.addWorkingDays(calendar.addWorkingDays(day, target), counted),
          awaitingSince,
          requestedAt: status === 'awaiting-citizen' || counted > 0 || pausedSeconds > 0 ? requestedAt : null,
          repliedAt: pausedSeconds > 0 ? repliedAt : null,
          pausedSeconds,
          pausedWorkingDays: pausedSeconds > 0 ? pausedWorkingDays : 0,
        };
      });
      await avoidExistingReferences(trx, cases, newReference);
      await insertCases(trx, cases, snapshots);

      const batch: RollupBatch = emptyRollupBatch();
      const ratings: { service: string; rating: number; at: Date }[] = [];
      for (const c of cases) {
        addCaseToBatch(
          batch,
          {
            serviceSlug: c.service.slug,
            status: c.status,
            submittedAt: c.submittedAt,
            decidedAt: c.decidedAt,
            pausedSeconds: c.pausedSeconds,
            pausedWorkingDays: c.pausedWorkingDays,
            targetWorkingDays: c.service.processingTargetWorkingDays,
          },
          calendar,
        );
        const p = profiles.get(c.service.slug)!;
        if (random() < p.surveyRate) {
          const rating = pick(random, [5, 4, 3, 2, 1], p.ratings);
          const when = new Date(c.submittedAt.getTime() + 120_000);
          ratings.push({ service: c.service.slug, rating, at: when });
          addRatingToBatch(batch, c.service.slug, rating, when);
        }
        const key = `${c.service.slug}|${ukDay(c.submittedAt)}`;
        sentPerDay.set(key, (sentPerDay.get(key) ?? 0) + 1);
        summary.submissions++;
        if (c.decidedAt) summary.decided++;
        else summary.open++;
        if (c.status === 'awaiting-citizen') summary.awaitingCitizen++;
      }
      for (let i = 0; i < ratings.length; i += 5000) {
        await trx('survey_response').insert(
          ratings
            .slice(i, i + 5000)
            .map((r) => ({ service_slug: r.service, rating: r.rating, created_at: r.at })),
        );
      }
      summary.surveyResponses += ratings.length;
      await addBatchToRollups(trx, batch);
    });
    options.onProgress?.(Math.min(plan.length, start + batchSize));
  }

  await writeJourneyCounts(db, services, profiles, sentPerDay, random);
  await writeCosts(db, profiles, sentPerDay, today, random);
  // Fresh statistics and visibility maps after a bulk load, so the rollup reads get index-only plans at once.
  await db.raw(
    'vacuum analyze performance_day, processing_time_month, open_case_day, survey_rating_day, journey_count, service_cost_month',
  );
  await db.raw('analyze submission, submission_event');
  return { ...summary, first, last: today };
}

/** References are random: make sure none of this batch is already in the database. */
async function avoidExistingReferences(trx: Knex.Transaction, cases: Planned[], fresh: () => string) {
  for (;;) {
    const taken = new Set<string>(
      await trx('submission')
        .whereIn(
          'reference',
          cases.map((c) => c.reference),
        )
        .pluck('reference'),
    );
    if (taken.size === 0) return;
    for (const c of cases) if (taken.has(c.reference)) c.reference = fresh();
  }
}

const REJECTION = 'The evidence sent did not show that the application meets the rules.';
const REQUEST = 'Please send a clearer copy of your evidence.';
const REPLY = 'I have attached a clearer copy.';

async function insertCases(trx: Knex.Transaction, cases: readonly Planned[], snapshots: Map<string, string>) {
  const column = <T>(f: (c: Planned) => T) => cases.map(f);
  await trx.raw(
    `insert into submission (id, reference, service_slug, definition_version, definition_snapshot, answers,
        submission_token, status, submitted_at, decided_at, decision_reason, due_date, awaiting_since,
        paused_seconds, paused_working_days, version)
     select * from unnest(?::bigint[], ?::text[], ?::text[], ?::int[], ?::jsonb[], ?::jsonb[], ?::uuid[], ?::text[],
        ?::timestamptz[], ?::timestamptz[], ?::text[], ?::date[], ?::timestamptz[], ?::bigint[], ?::int[], ?::int[])`,
    [
      column((c) => c.id),
      column((c) => c.reference),
      column((c) => c.service.slug),
      column((c) => c.service.version),
      column((c) => snapshots.get(c.service.slug)!),
      column(() => '{}'),
      column(() => crypto.randomUUID()),
      column((c) => c.status),
      column((c) => c.submittedAt.toISOString()),
      column((c) => c.decidedAt?.toISOString() ?? null),
      column((c) => (c.status === 'rejected' ? REJECTION : null)),
      column((c) => c.dueDate),
      column((c) => c.awaitingSince?.toISOString() ?? null),
      column((c) => c.pausedSeconds),
      column((c) => c.pausedWorkingDays),
      column((c) => 1 + (c.requestedAt ? 1 : 0) + (c.repliedAt ? 1 : 0) + (c.decidedAt ? 1 : 0)),
    ] as never,
  );
  const events: [number, string, string][] = [];
  const messages: [number, string, string, string][] = [];
  for (const c of cases) {
    events.push([c.id, 'submitted', c.submittedAt.toISOString()]);
    if (c.requestedAt) {
      events.push([c.id, 'information-requested', c.requestedAt.toISOString()]);
      messages.push([c.id, 'to-citizen', REQUEST, c.requestedAt.toISOString()]);
    }
    if (c.repliedAt) {
      events.push([c.id, 'information-provided', c.repliedAt.toISOString()]);
      messages.push([c.id, 'from-citizen', REPLY, c.repliedAt.toISOString()]);
    }
    if (c.decidedAt) events.push([c.id, c.status, c.decidedAt.toISOString()]);
  }
  await trx.raw(
    `insert into submission_event (submission_id, type, occurred_at)
     select * from unnest(?::bigint[], ?::text[], ?::timestamptz[])`,
    [events.map((e) => e[0]), events.map((e) => e[1]), events.map((e) => e[2])] as never,
  );
  if (messages.length > 0) {
    await trx.raw(
      `insert into submission_message (submission_id, direction, body, created_at)
       select * from unnest(?::bigint[], ?::text[], ?::text[], ?::timestamptz[])`,
      [
        messages.map((m) => m[0]),
        messages.map((m) => m[1]),
        messages.map((m) => m[2]),
        messages.map((m) => m[3]),
      ] as never,
    );
  }
}

/** Journeys started and pages reached each day, consistent with the applications sent that day. */
async function writeJourneyCounts(
  db: Db,
  services: readonly ServiceDefinition[],
  profiles: Map<string, Profile>,
  sentPerDay: Map<string, number>,
  random: () => number,
) {
  const rows: { service_slug: string; page_id: string; day: string; count: number }[] = [];
  for (const service of services) {
    const p = profiles.get(service.slug)!;
    const optional = conditionalPages(service);
    const survival = Math.pow(p.completionRate, 1 / (service.pages.length + 1));
    for (const [key, sent] of sentPerDay) {
      const [slug, day] = key.split('|') as [string, string];
      if (slug !== service.slug) continue;
      const started = Math.max(sent, Math.round(sent / (p.completionRate * (0.9 + random() * 0.2))));
      rows.push({ service_slug: slug, page_id: STARTED, day, count: started });
      service.pages.forEach((page, i) => {
        const reach = Math.round(started * Math.pow(survival, i + 1) * (optional.has(page.id) ? 0.35 : 1));
        const count = optional.has(page.id) ? reach : Math.max(sent, reach);
        if (count > 0) rows.push({ service_slug: slug, page_id: page.id, day, count });
      });
    }
  }
  for (let i = 0; i < rows.length; i += 5000) {
    await db('journey_count')
      .insert(rows.slice(i, i + 5000))
      .onConflict(['service_slug', 'page_id', 'day'])
      .merge({ count: db.raw('journey_count.count + excluded.count') });
  }
}

/** Monthly running costs and offline transactions, as an administrator would enter them. Never overwrites. */
async function writeCosts(
  db: Db,
  profiles: Map<string, Profile>,
  sentPerDay: Map<string, number>,
  today: string,
  random: () => number,
) {
  const perMonth = new Map<string, number>();
  for (const [key, sent] of sentPerDay) {
    const [slug, day] = key.split('|') as [string, string];
    const month = `${slug}|${day.slice(0, 7)}`;
    perMonth.set(month, (perMonth.get(month) ?? 0) + sent);
  }
  const current = today.slice(0, 7);
  const rows = [...perMonth]
    .filter(([key]) => key.split('|')[1] !== current) // this month's costs are not in yet
    .map(([key, digital]) => {
      const [slug, month] = key.split('|') as [string, string];
      const p = profiles.get(slug)!;
      const offline = Math.round(digital * p.offlineShare * (0.8 + random() * 0.4));
      const pounds = digital * p.costPerDigital + offline * p.costPerOffline + 2000 + random() * 1000;
      return {
        service_slug: slug,
        month: `${month}-01`,
        cost_pence: Math.round(pounds * 100),
        offline_transactions: offline,
        updated_at: new Date(),
        updated_by: null,
      };
    });
  for (let i = 0; i < rows.length; i += 2000) {
    await db('service_cost_month')
      .insert(rows.slice(i, i + 2000))
      .onConflict(['service_slug', 'month'])
      .ignore();
  }
}
