import { STATUSES, transition, type CaseAction, type Status } from '../../src/submissions/status';

const allowed: Record<CaseAction, Partial<Record<Status, Status>>> = {
  'start-review': { submitted: 'in-review' },
  'request-information': { submitted: 'awaiting-citizen', 'in-review': 'awaiting-citizen' },
  'citizen-replied': { 'awaiting-citizen': 'in-review' },
  'withdraw-request': { 'awaiting-citizen': 'in-review' },
  approve: { submitted: 'approved', 'in-review': 'approved' },
  reject: { submitted: 'rejected', 'in-review': 'rejected' },
};

const cases = (Object.keys(allowed) as CaseAction[]).flatMap((action) =>
  STATUSES.map((from) => [action, from, allowed[action][from]] as const),
);

describe('the application state machine', () => {
  it.each(cases)('%s from %s goes to %s (undefined: refused)', (action, from, to) => {
    const result = transition(from, action);
    if (to) {
      expect(result).toEqual({ ok: true, to });
    } else {
      expect(result.ok).toBe(false);
      expect(result.ok === false && result.reason.length).toBeGreaterThan(10);
    }
  });

  it('says a decided application has already been decided', () => {
    expect(transition('approved', 'reject')).toEqual({
      ok: false,
      reason: 'This application has already been decided',
    });
  });

  it('refuses a decision while waiting for the citizen, saying why', () => {
    expect(transition('awaiting-citizen', 'approve')).toEqual({
      ok: false,
      reason: 'You cannot approve an application while it is waiting for information from the citizen',
    });
  });
});
