import request from 'supertest';
import { appWith, type TestApp } from '../helpers/app';
import { csrfTokenIn } from '../helpers/journey';
import { createStaffUser } from '../helpers/staff';
import { disableStaffUser } from '../../src/staff/staff-user-repository';

// docs/security.md#a3, no user enumeration by timing: an unknown email, a wrong password and a disabled account must
// cost the same work, one argon2 verification each, so the response time says nothing about which it was. Tests
// never time anything (the machine is shared); they count the verifications instead.

jest.mock('@node-rs/argon2', () => {
  const actual = jest.requireActual('@node-rs/argon2');
  return { ...actual, verify: jest.fn(actual.verify) };
});
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the mocked module, to count its calls
const argon2 = require('@node-rs/argon2') as { verify: jest.Mock };

let t: TestApp;
beforeAll(async () => {
  t = await appWith();
});
afterAll(() => t.close());

async function verificationsFor(email: string, password: string): Promise<{ count: number; status: number }> {
  const agent = request.agent(t.app);
  const page = await agent.get('/staff/sign-in').expect(200);
  argon2.verify.mockClear();
  const res = await agent
    .post('/staff/sign-in')
    .type('form')
    .send({ _csrf: csrfTokenIn(page.text), email, password });
  return { count: argon2.verify.mock.calls.length, status: res.status };
}

describe('signing in with a wrong email, password or account', () => {
  it('verifies exactly one argon2 hash whether the email is unknown, the password wrong or the account disabled', async () => {
    const known = await createStaffUser(t.db, { role: 'caseworker', agencies: ['tax-authority'] });
    const disabled = await createStaffUser(t.db, { role: 'caseworker', agencies: ['tax-authority'] });
    await disableStaffUser(t.db, disabled.id, new Date());

    const answers = {
      unknown: await verificationsFor('nobody.here@example.gov.uk', 'a-password-of-some-length'),
      wrongPassword: await verificationsFor(known.email, 'a-password-of-some-length'),
      disabled: await verificationsFor(disabled.email, disabled.password),
      right: await verificationsFor(known.email, known.password),
    };
    expect(answers).toEqual({
      unknown: { count: 1, status: 422 },
      wrongPassword: { count: 1, status: 422 },
      disabled: { count: 1, status: 422 },
      right: { count: 1, status: 302 },
    });
  });
});
