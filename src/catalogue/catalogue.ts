import { Router, type Request, type Response } from 'express';
import type nunjucks from 'nunjucks';
import type { Db } from '../db';
import type { ServiceRegistry } from '../definitions/registry';
import { TOPICS, type ServiceDefinition } from '../definitions/types';
import { cleanText } from '../questions/sanitise';
import { searchServices } from './service-repository';
import { signpostsFor } from './signposts';
import type { Clock } from '../clock';
import type { Config } from '../config';
import { targetText, typicalTimeText, typicalTimes, type TypicalTime } from '../performance/typical-time';
import { createPageCache, type PageCache } from '../middleware/page-cache';

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

type CatalogueDeps = Readonly<{
  config: Config;
  clock: Clock;
  views: nunjucks.Environment;
  /** The app's cache of pages that are the same for everyone. */
  pages: PageCache;
}>;

// How many different searches keep their rendered results page. Queries are whatever people type, so the cache is
// bounded (least recently used out first) and a flood of one-off queries only pushes out other searches.
const CACHED_SEARCHES = 200;
const SEARCH_CACHE_MS = 60_000;

/**
 * GET / — every service, grouped by topic (a service can sit under several). No session; the typical times come
 * from a per-instance cache (one small rollup query a minute at most), and the page is rendered once for each
 * set of typical times: a reloaded set (a new map) renders it again.
 */
function showCatalogue(db: Db, registry: ServiceRegistry, deps: CatalogueDeps) {
  return async (_req: Request, res: Response) => {
    const times = await typicalTimes({ db, ...deps });
    const context = () => {
      const topics = TOPICS.map((topic) => ({
        topic,
        id: topic.toLowerCase().replace(/[^a-z]+/g, '-'),
        services: registry.services
          .filter((s) => s.topics.includes(topic))
          .map((s) => serviceCard(s, times.get(s.slug))),
      })).filter((t) => t.services.length > 0);
      return { topics, query: '' };
    };
    deps.pages.send(res, 'catalogue', 'catalogue/catalogue', context, times);
  };
}

/** GET /search?q= — server-side search, so it works with JavaScript off. */
function showSearch(db: Db, registry: ServiceRegistry, deps: CatalogueDeps, pages: PageCache) {
  return async (req: Request, res: Response) => {
    const raw = typeof req.query.q === 'string' ? req.query.q : '';
    const query = cleanText(raw).slice(0, MAX_QUERY_LENGTH);
    const times = await typicalTimes({ db, ...deps });
    const key = `search:${query}`;
    if (pages.sendCached(res, key, times)) return;
    const slugs = query ? await searchServices(db, query) : [];
    const results = slugs.flatMap((slug) => {
      const service = registry.find(slug);
      return service ? [serviceCard(service, times.get(slug))] : [];
    });
    const signposts = signpostsFor(query);
    pages.send(res, key, 'catalogue/search', () => ({ query, results, signposts }), times);
  };
}

export function setUpCatalogue(db: Db, registry: ServiceRegistry, deps: CatalogueDeps): Router {
  const router = Router();
  const searchPages = createPageCache(deps.views, { ttlMs: SEARCH_CACHE_MS, maxEntries: CACHED_SEARCHES });
  router.get('/', showCatalogue(db, registry, deps));
  router.get('/search', showSearch(db, registry, deps, searchPages));
  return router;
}
