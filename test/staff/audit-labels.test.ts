import { auditActionLabel } from '../../src/staff/audit-labels';

describe('the audit log’s action labels', () => {
  it.each([
    ['citizen-replied', 'Citizen replied'],
    ['request-withdrawn', 'Withdrew the request for more information'],
    ['email-alerts-changed', 'Changed their email alerts'],
    ['request-information', 'Asked the citizen for more information'],
    ['assign', 'Assigned'],
    ['case-action-refused', 'Action refused (case assigned to someone else)'],
    ['session-expired', 'Session expired'],
    ['message-retried', 'Tried sending an email again'],
  ])('shows %j as %j', (code, label) => {
    expect(auditActionLabel(code)).toBe(label);
  });
});
