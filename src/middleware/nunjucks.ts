import path from 'node:path';
import type { Express } from 'express';
import nunjucks from 'nunjucks';
import type { Config } from '../config';
import { govukFrontendDir, viewsDir } from '../paths';

export function setUpNunjucks(app: Express, config: Config, assetVersion: string): nunjucks.Environment {
  const env = nunjucks.configure([viewsDir, path.join(govukFrontendDir, 'dist')], {
    autoescape: true,
    express: app,
    // Compiled templates are cached everywhere but in development, where edits should show on reload.
    noCache: config.env === 'development',
    watch: false,
  });
  app.set('view engine', 'njk');

  // govuk/template.njk pipes the whole header and footer through `trim`; nunjucks implements it with a
  // regex that showed up in profiles. String.prototype.trim renders the same.
  const { copySafeness } = nunjucks.runtime as unknown as {
    copySafeness: (from: unknown, to: string) => unknown;
  };
  env.addFilter('trim', (value: unknown) => copySafeness(value, String(value ?? '').trim()));

  env.addGlobal('assetPath', '/assets');
  env.addGlobal('staticPath', `/static/${assetVersion}`);
  env.addGlobal('serviceName', config.branding.serviceName);
  env.addGlobal('organisationName', config.branding.organisationName);
  env.addGlobal('phase', config.branding.phase);
  env.addGlobal('feedbackEmail', config.branding.feedbackEmail);
  env.addGlobal('baseUrl', config.baseUrl);
  return env;
}
