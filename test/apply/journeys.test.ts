import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { appWith, type TestApp } from '../helpers/app';
import { fixedClock, sendApplication, summaryRows, walkToCheckAnswers } from '../helpers/journey';
import { parseHtml } from '../helpers/html';
import { allJourneys, FIXTURES_DIR } from '../helpers/journey-fixtures';
import { parseReference } from '../../src/submissions/reference';

describe('every shipped service, walked end to end', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await appWith({}, { clock: fixedClock });
  });
  afterAll(() => t.close());

  it('has a journey fixture for every service', () => {
    for (const service of t.registry.services) {
      expect(fs.existsSync(path.join(FIXTURES_DIR, `${service.slug}.ts`))).toBe(true);
    }
  });

  const cases = allJourneys().map(({ slug, journey }) => [slug, journey.name, journey] as const);

  it.each(cases)(
    '%s: %s reaches check answers, sends, and stores exactly what was shown',
    async (slug, _name, journey) => {
      const agent = await walkToCheckAnswers(t.app, slug, journey);

      const check = await agent.get(`/services/${slug}/check-answers`).expect(200);
      expect(parseHtml(check.text)('head > title').text()).toMatch(
        /^Check your answers before sending your application – /,
      );
      const rows = summaryRows(check.text);
      for (const [label, value] of Object.entries(journey.expectSummary)) {
        expect({ label, value: rows[label] }).toEqual({ label, value });
      }

      const sent = await sendApplication(agent, slug);
      expect(sent.status).toBe(303);
      const match = new RegExp(`^/services/${slug}/confirmation/([A-Z0-9]{10})$`).exec(
        sent.headers.location!,
      );
      expect(match).not.toBeNull();
      const reference = match![1]!;
      expect(parseReference(reference)).toBe(reference);

      const confirmation = await agent.get(sent.headers.location!).expect(200);
      const $ = parseHtml(confirmation.text);
      expect($('.govuk-panel__title').text().trim()).toBe('Application sent');
      expect($('.govuk-panel__body strong').text()).toBe(
        `${reference.slice(0, 4)}-${reference.slice(4, 8)}-${reference.slice(8)}`,
      );

      const rowsInDb = await t.db('submission').where({ reference });
      expect(rowsInDb).toHaveLength(1);
      const stored = rowsInDb[0];
      expect(stored.service_slug).toBe(slug);
      expect(stored.status).toBe('submitted');
      expect(stored.definition_snapshot.slug).toBe(slug);
      // Only the questions on the pages this path visited are stored.
      const visited = new Set(journey.steps.map((s) => s.page));
      const allowed = new Set(
        stored.definition_snapshot.pages
          .filter((p: { id: string }) => visited.has(p.id))
          .flatMap((p: { questions: { id: string; options?: { conditional?: { id: string } }[] }[] }) =>
            p.questions.flatMap((q) => [
              q.id,
              ...(q.options ?? []).flatMap((o) => (o.conditional ? [o.conditional.id] : [])),
            ]),
          ),
      );
      for (const key of Object.keys(stored.answers)) expect(allowed).toContain(key);
      expect(await t.db('submission_event').where({ submission_id: stored.id }).pluck('type')).toEqual([
        'submitted',
      ]);

      // The answers left the session with the submit: check answers now says it was sent, and starting again
      // begins at the first page.
      const back = await agent.get(`/services/${slug}/check-answers`).expect(200);
      expect(parseHtml(back.text)('h1').text().trim()).toBe('You have already sent this application');
      const again = await agent.get(`/services/${slug}/start`).expect(302);
      expect(again.headers.location).toBe(`/services/${slug}/${journey.steps[0]!.page}`);
    },
  );

  it('shows the confirmation only to the session that sent the application', async () => {
    const [slug, , journey] = cases[0]!;
    const agent = await walkToCheckAnswers(t.app, slug, journey);
    const sent = await sendApplication(agent, slug);
    await request(t.app).get(sent.headers.location!).expect(404);
  });
});
