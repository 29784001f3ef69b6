import { render } from '../../src/notifications/outbox';
import { testRenderSettings } from '../helpers/render-settings';

// The two messages of issue 14: to the citizen when a request for information is withdrawn, and to a member of
// staff who asked for it when a citizen replies on a case assigned to them.

const context = testRenderSettings;
const sentTo = { recipient: 'someone@example.com', createdAt: new Date('2026-12-01T10:00:00Z') };
const agency = {
  name: 'Vehicle licensing agency',
  contact: { email: 'vehicles@example.gov.uk', phone: '0300 000 0000' },
};

describe('the request withdrawn email', () => {
  const message = render(
    {
      ...sentTo,
      template: 'request-withdrawn',
      data: {
        reference: 'ABCDEFGHJK',
        serviceSlug: 'register-a-vehicle',
        serviceTitle: 'Register a vehicle <b>now</b>',
        agency,
        withdrawnOn: '2026-12-03',
      },
    },
    context,
  );

  it('says we no longer need the information, with the reference in the subject and near the top', () => {
    expect(message.subject).toBe('We no longer need the information we asked for: reference ABCD-EFGH-JK');
    const lines = message.text.split('\n');
    expect(lines[0]).toBe(
      'We no longer need the information we asked you for about your application (Register a vehicle <b>now</b>).',
    );
    expect(message.text).toContain('  ABCD-EFGH-JK');
    expect(message.text).toContain(
      'You do not need to reply. We started working on your application again on 3 December 2026.',
    );
  });

  it('links to the status check with the reference, and says how to contact the agency', () => {
    expect(message.text).toContain('https://portal.example.gov.uk/check-status?reference=ABCD-EFGH-JK');
    expect(message.text).toContain(
      'contact Vehicle licensing agency at vehicles@example.gov.uk or call 0300 000 0000',
    );
    expect(message.html).toContain(
      'href="https://portal.example.gov.uk/check-status?reference=ABCD-EFGH-JK"',
    );
    expect(message.html).not.toContain('<b>now</b>');
    expect(message.html).toContain('&lt;b&gt;now&lt;/b&gt;');
  });
});

describe('the citizen replied alert to staff', () => {
  const message = render(
    {
      ...sentTo,
      template: 'citizen-replied',
      data: { reference: 'ABCDEFGHJK', serviceTitle: 'Register a vehicle' },
    },
    context,
  );

  it('gives the reference in the subject, the service, and a link to the case in the back office', () => {
    expect(message.subject).toBe('A citizen replied: case ABCD-EFGH-JK');
    expect(message.text).toContain('case ABCD-EFGH-JK (Register a vehicle)');
    expect(message.text).toContain(
      'Open the case:\nhttps://portal.example.gov.uk/staff/submissions/ABCDEFGHJK',
    );
    expect(message.html).toContain('href="https://portal.example.gov.uk/staff/submissions/ABCDEFGHJK"');
  });

  it('asks them to sign in to read the reply, and says how to stop these emails', () => {
    expect(message.text).toContain('Sign in to the back office to read their reply.');
    expect(message.text).toContain('To stop them, change your email alerts in the back office.');
  });
});
