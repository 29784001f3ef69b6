import path from 'node:path';
import type { Express } from 'express';
import nunjucks from 'nunjucks';
import type { Config } from '../config';
import { govukFrontendDir, viewsDir } from '../paths';
import { addFragmentTag, speedUpNunjucks } from './nunjucks-speed';

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
  // Nunjucks's nl2br writes XHTML's `<br />`; HTML (and html-validate's void-style rule) wants `<br>`. Same
  // safety rules as the built-in: the result is only marked safe when the input was (templates escape first).
  env.addFilter('nl2br', (value: unknown) =>
    value === null || value === undefined
      ? ''
      : copySafeness(value, String(value).replace(/\r\n|\n/g, '<br>\n')),
  );
  // Starts a sentence with a name written for the middle of one: "the Environment Agency" -> "The Environment
  // Agency". Unlike nunjucks' `capitalize`, the rest keeps its capitals.
  env.addFilter('capitalizeFirst', (value: unknown) => {
    const text = String(value ?? '');
    return copySafeness(value, text.charAt(0).toUpperCase() + text.slice(1));
  });
  // Faster Frame.set, indent and template-name resolution (same output), and {% fragment %} for the layout's
  // fixed parts, rendered once per process (every time in development, so edits show on reload).
  speedUpNunjucks(env);
  addFragmentTag(env, config.env !== 'development');

  env.addGlobal('assetPath', '/assets');
  env.addGlobal('staticPath', `/static/${assetVersion}`);
  env.addGlobal('serviceName', config.branding.serviceName);
  env.addGlobal('organisationName', config.branding.organisationName);
  env.addGlobal('phase', config.branding.phase);
  env.addGlobal('feedbackEmail', config.branding.feedbackEmail);
  // How long a citizen's answers are kept without activity (start pages and the timed-out page say so).
  env.addGlobal('sessionIdleMinutes', config.session.idleMinutes);
  env.addGlobal('baseUrl', config.baseUrl);
  return env;
}
