import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';
import type { Config } from '../config';
import { govukFrontendDir, publicDir } from '../paths';

const govukDist = path.join(govukFrontendDir, 'dist/govuk');
const ONE_YEAR_SECONDS = 31536000;

function filesBelow(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesBelow(full) : [full];
  });
}

/**
 * A short fingerprint of everything served under /static: our public/ folder and the govuk-frontend
 * version. A new deploy with changed files gets a new URL, so browsers can cache each URL forever.
 */
export function computeAssetVersion(): string {
  const hash = crypto.createHash('sha256');
  hash.update(JSON.parse(fs.readFileSync(path.join(govukFrontendDir, 'package.json'), 'utf8')).version);
  for (const file of filesBelow(publicDir).sort()) {
    hash.update(path.relative(publicDir, file));
    hash.update(fs.readFileSync(file));
  }
  return hash.digest('hex').slice(0, 12);
}

/** Serves govuk-frontend's CSS, JS, fonts and images from the package, and our own public/ files. */
export function setUpStaticAssets(config: Config, assetVersion: string): Router {
  const router = Router();
  const cacheForever = config.env !== 'development';
  const immutable = (res: express.Response) =>
    res.setHeader(
      'Cache-Control',
      cacheForever ? `public, max-age=${ONE_YEAR_SECONDS}, immutable` : 'no-cache',
    );

  // The compiled CSS hard-codes /assets/fonts/... and /assets/images/...; fonts carry a content hash in their
  // names, the few images do not, so those get a day of caching.
  router.use(
    '/assets',
    express.static(path.join(govukDist, 'assets'), {
      index: false,
      fallthrough: true,
      setHeaders(res, file) {
        if (/-[0-9a-f]{10}-v\d+\.woff2?$/.test(file)) immutable(res);
        else res.setHeader('Cache-Control', cacheForever ? 'public, max-age=86400' : 'no-cache');
      },
    }),
  );

  const versioned = `/static/${assetVersion}`;
  const fromPackage: Record<string, string> = {
    '/stylesheets/govuk-frontend.min.css': 'govuk-frontend.min.css',
    '/stylesheets/govuk-frontend.min.css.map': 'govuk-frontend.min.css.map',
    '/javascripts/govuk-frontend.min.js': 'govuk-frontend.min.js',
    '/javascripts/govuk-frontend.min.js.map': 'govuk-frontend.min.js.map',
  };
  for (const [url, file] of Object.entries(fromPackage)) {
    router.get(`${versioned}${url}`, (_req, res, next) => {
      immutable(res);
      res.sendFile(path.join(govukDist, file), { cacheControl: false }, (err) => err && next(err));
    });
  }
  router.use(
    versioned,
    express.static(publicDir, { index: false, cacheControl: false, setHeaders: (res) => immutable(res) }),
  );
  return router;
}
