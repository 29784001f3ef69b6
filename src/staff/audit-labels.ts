// What the audit log's action codes mean, as a manager reads them on a case's audit page. The codes stay in the
// database and the CSV (they are data); the page shows these labels.

const LABELS: Readonly<Record<string, string>> = {
  assign: 'Assigned',
  unassign: 'Unassigned',
  note: 'Added an internal note',
  'request-information': 'Asked the citizen for more information',
  approve: 'Approved',
  reject: 'Rejected',
  'citizen-replied': 'Citizen replied',
  'request-withdrawn': 'Withdrew the request for more information',
  'email-alerts-changed': 'Changed their email alerts',
  'case-action-refused': 'Action refused (case assigned to someone else)',
  'access-denied': 'Access denied',
  'attachment-downloaded': 'Downloaded a file sent with the application',
  'message-retried': 'Tried sending an email again',
};

/** The label for an action code; an unknown code reads as a sentence ("session-expired" -> "Session expired"). */
export function auditActionLabel(action: string): string {
  const known = LABELS[action];
  if (known) return known;
  const words = action.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
