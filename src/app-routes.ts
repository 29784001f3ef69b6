import type { Express } from 'express';

// What the app answers, read from Express itself: for createApp's deny-by-default check of staff routes
// (staff/access.ts undeclaredStaffRoutes) and for the tests that must reach every route.

export type AppRoute = Readonly<{ method: string; path: string }>;

type Layer = {
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  slash?: boolean;
  name?: string;
};

/**
 * Every route of the app, in the order Express tries them: walks `app.router.stack` (Express 5, router v2),
 * descending into routers mounted with `app.use(router)`. A router mounted under a path would need its prefix,
 * which router v2 does not keep on the layer, so that case fails loudly instead of being miscounted.
 */
export function appRoutes(app: Express): AppRoute[] {
  const routes: AppRoute[] = [];
  const walk = (stack: readonly Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const p of paths) {
          if (typeof p !== 'string') throw new Error(`route with a non-string path: ${String(p)}`);
          for (const [method, on] of Object.entries(layer.route.methods)) {
            if (on && method !== '_all') routes.push({ method: method.toUpperCase(), path: p });
          }
        }
      } else if (layer.handle?.stack) {
        if (layer.slash === false) {
          throw new Error('a router is mounted under a path prefix; teach appRoutes() to add the prefix');
        }
        walk(layer.handle.stack);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return routes;
}
