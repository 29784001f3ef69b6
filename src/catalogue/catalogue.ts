import { Router, type Request, type Response } from 'express';
import type { Db } from '../db';
import type { ServiceRegistry } from '../definitions/registry';
import { TOPICS, type ServiceDefinition } from '../definitions/types';
import { cleanText } from '../questions/sanitise';
import { searchServices } from './service-repository';

const MAX_QUERY_LENGTH = 100;

export type ServiceCard = Readonly<{
  slug: string;
  title: string;
  summary: string;
  agency: string;
  processingTime: string;
}>;

/** The catalogue's line for a service. The measured typical time replaces the target once metrics exist. */
export function serviceCard(service: ServiceDefinition): ServiceCard {
  return {
    slug: service.slug,
    title: service.title,
    summary: service.summary,
    agency: service.agency.name,
    processingTime: `Aims to decide within ${service.processingTargetWorkingDays} working ${service.processingTargetWorkingDays === 1 ? 'day' : 'days'}`,
  };
}

/** GET / — every service, grouped by topic (a service can sit under several). No database, no session. */
function showCatalogue(registry: ServiceRegistry) {
  const topics = TOPICS.map((topic) => ({
    topic,
    id: topic.toLowerCase().replace(/[^a-z]+/g, '-'),
    services: registry.services.filter((s) => s.topics.includes(topic)).map(serviceCard),
  })).filter((t) => t.services.length > 0);
  return (_req: Request, res: Response) => res.render('catalogue/catalogue', { topics, query: '' });
}

/** GET /search?q= — server-side search, so it works with JavaScript off. */
function showSearch(db: Db, registry: ServiceRegistry) {
  return async (req: Request, res: Response) => {
    const raw = typeof req.query.q === 'string' ? req.query.q : '';
    const query = cleanText(raw).slice(0, MAX_QUERY_LENGTH);
    const slugs = query ? await searchServices(db, query) : [];
    const results = slugs.flatMap((slug) => {
      const service = registry.find(slug);
      return service ? [serviceCard(service)] : [];
    });
    res.render('catalogue/search', { query, results });
  };
}

export function setUpCatalogue(db: Db, registry: ServiceRegistry): Router {
  const router = Router();
  router.get('/', showCatalogue(registry));
  router.get('/search', showSearch(db, registry));
  return router;
}
