import { renderSettingsFor } from '../../src/notifications';
import { render, type OutboxMessage } from '../../src/notifications/outbox';
import { appWith, shippedServices, type TestApp } from '../helpers/app';
import { sendApplication, walkToCheckAnswers } from '../helpers/journey';
import { fixtureFor } from '../helpers/journey-fixtures';
import type { JourneyPath } from '../fixtures/journeys/types';

// Every message a citizen can be sent, for every shipped service: sent through the real routes (the first journey
// fixture of each service), then rendered as the worker would send it.

let t: TestApp;
beforeAll(async () => {
  t = await appWith();
});
afterAll(async () => t.close());

const formatted = (r: string) => `${r.slice(0, 4)}-${r.slice(4, 8)}-${r.slice(8)}`;

describe.each(shippedServices().services.map((s) => [s.slug, s] as const))('%s', (slug, service) => {
  const [path] = fixtureFor(slug) as [JourneyPath];
  let sent: { recipient: string; created_at: Date; data: Record<string, unknown> } | undefined;
  let reference = '';

  beforeAll(async () => {
    const agent = await walkToCheckAnswers(t.app, slug, path);
    const res = await sendApplication(agent, slug);
    reference = res.headers.location!.split('/').pop()!;
    sent = await t
      .db('notification_outbox as o')
      .join('submission as s', 's.id', 'o.submission_id')
      .where({ 's.reference': reference, 'o.template': 'application-sent' })
      .first('o.recipient', 'o.created_at', 'o.data');
  });

  const rendered = (message: OutboxMessage) =>
    render(
      { ...message, recipient: sent!.recipient, createdAt: sent!.created_at },
      renderSettingsFor(t.config),
    );

  it('confirms the application with its reference and a copy of the answers shown on check your answers', () => {
    expect(sent).toBeDefined();
    const data = typeof sent!.data === 'string' ? JSON.parse(sent!.data) : sent!.data;
    const message = rendered({ template: 'application-sent', data });
    expect(message.subject).toBe(`Application received: reference ${formatted(reference)}`);
    expect(message.text).toContain(service.title);
    for (const [label, value] of Object.entries(path.expectSummary)) {
      // The email copies the answers given: a question left out ("Not provided") has no row.
      if (value === 'Not provided') continue;
      // Identifiers are masked in emails: the last 3 characters only.
      if (/^National Insurance number|Unique Taxpayer Reference/.test(label)) {
        expect(message.text).not.toContain(value);
        expect(message.text).toContain(value.replace(/\s/g, '').slice(-3));
      } else {
        for (const line of value.split(', ')) expect(message.text).toContain(line);
      }
    }
    expect(message.html).toContain(formatted(reference));
  });

  it('renders the request, its reminder, its withdrawal and both decisions in the service’s words', () => {
    const application = {
      reference,
      serviceSlug: slug,
      serviceTitle: service.title,
      agency: { name: service.agency.name, contact: service.agency.contact },
    };
    const messages: OutboxMessage[] = [
      {
        template: 'information-requested',
        data: { ...application, request: 'Send a photo.', pausedOn: '2026-12-01' },
      },
      { template: 'reminder', data: { ...application, request: 'Send a photo.', askedOn: '2026-12-01' } },
      { template: 'request-withdrawn', data: { ...application, withdrawnOn: '2026-12-02' } },
      {
        template: 'decision',
        data: { ...application, outcome: 'approved', reason: null, afterApproval: service.afterApproval },
      },
      { template: 'decision', data: { ...application, outcome: 'rejected', reason: 'Not eligible.' } },
    ];
    for (const message of messages) {
      const { subject, text, html } = rendered(message);
      expect(subject).toContain(formatted(reference));
      expect(text).toContain(service.title);
      expect(html).toContain('<html lang="en">');
    }
    const approved = rendered(messages[3]!).text;
    for (const paragraph of service.afterApproval) expect(approved).toContain(paragraph);
    const rejected = rendered(messages[4]!).text;
    expect(rejected).toContain(service.agency.contact.email);
    expect(rejected).toContain(`/services/${slug}`);
  });
});
