import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Request } from 'express';
import { appWith, type TestApp } from '../../helpers/app';
import { fixedClock } from '../../helpers/journey';
import { recordRequest } from './coverage';

export type Portal = Readonly<{
  t: TestApp;
  /** http://127.0.0.1:<port>, no trailing slash. */
  baseUrl: string;
  url: (path: string) => string;
  close: () => Promise<void>;
}>;

/** Serve an app on 127.0.0.1 (a free port), recording which route answered each request for the coverage test. */
export async function serve(t: TestApp): Promise<Portal> {
  const server = http.createServer((req, res) => {
    res.on('finish', () => {
      const route = (req as unknown as Request).route as { path?: unknown } | undefined;
      recordRequest({
        method: req.method ?? 'GET',
        path: (req.url ?? '/').split('?')[0] ?? '/',
        route: typeof route?.path === 'string' ? route.path : undefined,
        status: res.statusCode,
        contentType: String(res.getHeader('content-type') ?? ''),
      });
    });
    t.app(req, res);
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    t,
    baseUrl,
    url: (path) => `${baseUrl}${path}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await t.close();
    },
  };
}

/** The real app on a fresh in-memory database, with the clock the journey fixtures assume (2026-11-29). */
export async function startPortal(): Promise<Portal> {
  return serve(await appWith({}, { clock: fixedClock }));
}
