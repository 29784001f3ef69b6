import type { Config } from '../../src/config';
import type { Db } from '../../src/db';
import { renderSettingsFor } from '../../src/notifications';
import { render } from '../../src/notifications/outbox';
import { csrfTokenIn, type Agent } from './journey';

/** What the app's links look like in an email: the configured base URL, then a path and a 43-character token. */
const linkPattern = (config: Config, pathPrefix: string) =>
  new RegExp(`${config.baseUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(${pathPrefix}/[A-Za-z0-9_-]{43})`);

/**
 * The newest email of `template` to `to`, rendered as the worker sends it, and the path of the first link in it
 * under `pathPrefix` (for example '/continue'), if any.
 */
export async function newestEmail(
  target: Readonly<{ db: Db; config: Config }>,
  template: string,
  to: string,
  pathPrefix?: string,
) {
  const row = await target
    .db('notification_outbox')
    .where({ template, recipient: to })
    .orderBy('created_at', 'desc')
    .first();
  if (!row) throw new Error(`no ${template} email to ${to}`);
  const message = render({ ...row, createdAt: row.created_at }, renderSettingsFor(target.config));
  const link = pathPrefix ? linkPattern(target.config, pathPrefix).exec(message.text)?.[1] : undefined;
  return { row, message, link: link! };
}

/**
 * Sign `agent` in to "your applications" as a citizen would: ask for a link for `email`, open it, press "Sign in".
 * Fails unless each step answers as it should.
 */
export async function signInByEmail(
  target: Readonly<{ db: Db; config: Config }>,
  agent: Agent,
  email: string,
): Promise<Agent> {
  const form = await agent.get('/your-applications/sign-in').expect(200);
  await agent
    .post('/your-applications/sign-in')
    .type('form')
    .send({ _csrf: csrfTokenIn(form.text), email })
    .expect(303);
  const { link } = await newestEmail(target, 'sign-in', email, '/your-applications/sign-in');
  const page = await agent.get(link).expect(200);
  await agent
    .post(link)
    .type('form')
    .send({ _csrf: csrfTokenIn(page.text) })
    .expect(303);
  return agent;
}
