import { answersForEmail, contactEmailOf, maskIdentifier } from '../../src/notifications/contact';
import { render } from '../../src/notifications/outbox';
import { testRenderSettings } from '../helpers/render-settings';
import { retryDelayMs } from '../../src/notifications/worker';
import { describeFailure, messageIdFor } from '../../src/notifications/transport';
import { shippedServices } from '../helpers/app';

const context = testRenderSettings;
const sentTo = { recipient: 'sam@example.com', createdAt: new Date('2026-12-01T10:00:00Z') };
const agency = { name: 'Local council', contact: { email: 'council@example.gov.uk' } };

describe('email content', () => {
  it('masks identifiers to their last 3 characters', () => {
    expect(maskIdentifier('JG 10 37 23 A')).toBe('******23A');
    expect(maskIdentifier('2234567890')).toBe('*******890');
    expect(maskIdentifier('AB')).toBe('AB');
  });

  it('sends to the first email address the citizen gave, including one revealed by a choice, or to nobody', () => {
    const fishing = shippedServices().find('apply-for-a-rod-fishing-licence')!;
    const pothole = shippedServices().find('report-a-pothole')!;
    const page = fishing.pages.find((p) =>
      p.questions.some((q) => q.type === 'radios' && q.options.some((o) => o.conditional?.type === 'email')),
    )!;
    const radios = page.questions.find((q) => q.type === 'radios')!;
    expect(contactEmailOf(fishing.pages, { [radios.id]: 'email', licenceEmail: 'Ann@Example.com' })).toBe(
      'ann@example.com',
    );
    expect(
      contactEmailOf(fishing.pages, { [radios.id]: 'post', licenceEmail: 'ann@example.com' }),
    ).toBeUndefined();
    expect(contactEmailOf(pothole.pages, {})).toBeUndefined();
  });

  it('shows the answers of every service with its identifiers masked', () => {
    const tax = shippedServices().find('file-a-self-assessment-tax-return')!;
    const sections = answersForEmail(tax.pages, tax.checkAnswers.sections, {
      utr: '2234567890',
      nationalInsuranceNumber: 'JG103723A',
      contactEmail: 'sam@example.com',
    });
    const rows = sections.flatMap((s) => s.rows);
    expect(rows).toEqual(
      expect.arrayContaining([
        { key: 'Unique Taxpayer Reference (UTR)', lines: ['*******890'] },
        { key: 'National Insurance number', lines: ['******23A'] },
        { key: 'Email address', lines: ['sam@example.com'] },
      ]),
    );
  });

  it('renders plain text and HTML from the same source, escaping what people wrote in the HTML', () => {
    const message = render(
      {
        ...sentTo,
        template: 'decision',
        data: {
          reference: 'ABCDEFGHJK',
          serviceSlug: 'report-a-pothole',
          serviceTitle: 'Report a pothole',
          agency,
          outcome: 'rejected',
          reason: 'Not our road <script>alert(1)</script> & more',
        },
      },
      context,
    );
    expect(message.subject).toBe('Application rejected: reference ABCD-EFGH-JK');
    expect(message.text).toContain('Not our road <script>alert(1)</script> & more');
    expect(message.text).toContain('https://portal.example.gov.uk/check-status?reference=ABCD-EFGH-JK');
    expect(message.html).not.toContain('<script>');
    expect(message.html).toContain('Not our road &lt;script&gt;alert(1)&lt;/script&gt; &amp; more');
    expect(message.html).toContain('href="https://portal.example.gov.uk/services/report-a-pothole"');
  });
});

describe('delivery rules', () => {
  it('waits twice as long before each retry, at most an hour', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 30_000))).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(retryDelayMs(30, 30_000)).toBe(60 * 60 * 1000);
  });

  it('uses the outbox id as the Message-ID, in the domain of MAIL_FROM', () => {
    expect(messageIdFor('3f0c', 'GOV.UK <noreply@services.example.gov.uk>')).toBe(
      '<3f0c@services.example.gov.uk>',
    );
    expect(messageIdFor('3f0c', 'noreply@example.gov.uk')).toBe('<3f0c@example.gov.uk>');
  });

  it('records a code for a failure, never the server text that can quote the address, and gives up on a 5xx refusal', () => {
    const refused = Object.assign(new Error('550 <kim@example.com>: no such user'), {
      code: 'EENVELOPE',
      responseCode: 550,
    });
    expect(describeFailure(refused)).toEqual({ code: 'EENVELOPE 550', permanent: true });
    expect(describeFailure(Object.assign(new Error('x'), { code: 'EENVELOPE', responseCode: 451 }))).toEqual({
      code: 'EENVELOPE 451',
      permanent: false,
    });
    expect(describeFailure(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' }))).toEqual({
      code: 'ETIMEDOUT',
      permanent: false,
    });
    expect(describeFailure(new Error('kim@example.com'))).toEqual({ code: 'ERROR', permanent: false });
  });
});
