import { Router, type Request, type Response } from 'express';
import type { Db } from '../db';
import type { ServiceRegistry } from '../definitions/registry';
import { TOPICS, type ServiceDefinition } from '../definitions/types';
import { cleanText } from '../questions/sanitise';
import { searchServices } from './service-repository';
import type { Clock } from '../clock';
import type { Config } from '../config';
import { targetText, typicalTimeText, typicalTimes, type TypicalTime } from '../performance/typical-time';

const MAX_QUERY_LENGTH = 100;

export type ServiceCard = Readonly<{
  slug: string;
  title: string;
  summary: string;
  agency: string;
  processingTime: string;
}>;

/**
 * The catalogue's line for a service. The measured typical time (see performance/typical-time.ts) replaces the
 * target once the service has at least 10 decisions in the last 3 months.
 */
export function serviceCard(service: ServiceDefinition, typical?: TypicalTime): ServiceCard {
  return {
    slug: service.slug,
    title: service.title,
    summary: service.summary,
    agency: service.agency.name,
    processingTime: typical && typical.median !== null ? typicalTimeText(typical) : targetText(service),
  };
}

type TypicalTimeSource = Readonly<{ config: Config; clock: Clock }>;

/**
 * GET / — every service, grouped by topic (a service can sit under several). No session; the typical times come
 * from a per-instance cache (one small rollup query a minute at most).
 */
function showCatalogue(db: Db, registry: ServiceRegistry, source: TypicalTimeSource) {
  return async (_req: Request, res: Response) => {
    const times = await typicalTimes({ db, ...source });
    const topics = TOPICS.map((topic) => ({
      topic,
      id: topic.toLowerCase().replace(/[^a-z]+/g, '-'),
      services: registry.services
        .filter((s) => s.topics.includes(topic))
        .map((s) => serviceCard(s, times.get(s.slug))),
    })).filter((t) => t.services.length > 0);
    res.render('catalogue/catalogue', { topics, query: '' });
  };
}

/** GET /search?q= — server-side search, so it works with JavaScript off. */
function showSearch(db: Db, registry: ServiceRegistry, source: TypicalTimeSource) {
  return async (req: Request, res: Response) => {
    const raw = typeof req.query.q === 'string' ? req.query.q : '';
    const query = cleanText(raw).slice(0, MAX_QUERY_LENGTH);
    const slugs = query ? await searchServices(db, query) : [];
    const times = await typicalTimes({ db, ...source });
    const results = slugs.flatMap((slug) => {
      const service = registry.find(slug);
      return service ? [serviceCard(service, times.get(slug))] : [];
    });
    res.render('catalogue/search', { query, results });
  };
}

export function setUpCatalogue(db: Db, registry: ServiceRegistry, source: TypicalTimeSource): Router {
  const router = Router();
  router.get('/', showCatalogue(db, registry, source));
  router.get('/search', showSearch(db, registry, source));
  return router;
}
