import type { NextFunction, Request, Response } from 'express';
import type { ServiceDefinition } from '../definitions/types';
import type { ServiceRegistry } from '../definitions/registry';

declare module 'express-serve-static-core' {
  interface Locals {
    service?: ServiceDefinition;
  }
}

/** Resolves :service to its definition, or a 404 page for anything that is not a service slug. */
export function loadService(registry: ServiceRegistry) {
  return (req: Request, res: Response, next: NextFunction, slug: unknown) => {
    const service = typeof slug === 'string' ? registry.find(slug) : undefined;
    if (!service) {
      res.status(404).render('errors/not-found');
      return;
    }
    res.locals.service = service;
    next();
  };
}

export const serviceOf = (res: Response): ServiceDefinition => {
  if (!res.locals.service) throw new Error('route used without the :service parameter');
  return res.locals.service;
};
