// The life of an application, as an explicit state machine. Every change of status goes through `transition`,
// so an illegal move (approving a rejected case, replying to a case nobody asked about) is refused with a reason.

export const STATUSES = ['submitted', 'in-review', 'awaiting-citizen', 'approved', 'rejected'] as const;
export type Status = (typeof STATUSES)[number];

export type CaseAction =
  | 'start-review'
  | 'request-information'
  | 'citizen-replied'
  /** The caseworker no longer needs what they asked for: back to review, as if the citizen had replied. */
  | 'withdraw-request'
  | 'approve'
  | 'reject';

const TRANSITIONS: Readonly<Record<CaseAction, Readonly<{ from: readonly Status[]; to: Status }>>> = {
  'start-review': { from: ['submitted'], to: 'in-review' },
  'request-information': { from: ['submitted', 'in-review'], to: 'awaiting-citizen' },
  'citizen-replied': { from: ['awaiting-citizen'], to: 'in-review' },
  'withdraw-request': { from: ['awaiting-citizen'], to: 'in-review' },
  approve: { from: ['submitted', 'in-review'], to: 'approved' },
  reject: { from: ['submitted', 'in-review'], to: 'rejected' },
};

export const isDecided = (status: Status): boolean => status === 'approved' || status === 'rejected';

/** What the citizen and staff read for each status. */
export const STATUS_TEXT: Readonly<Record<Status, string>> = {
  submitted: 'Received',
  'in-review': 'Being reviewed',
  'awaiting-citizen': 'Waiting for information from you',
  approved: 'Approved',
  rejected: 'Rejected',
};

/** Staff-facing names (the citizen's "Waiting for information from you" is "Awaiting citizen" to staff). */
export const STAFF_STATUS_TEXT: Readonly<Record<Status, string>> = {
  ...STATUS_TEXT,
  'awaiting-citizen': 'Awaiting citizen',
};

export type TransitionResult = { ok: true; to: Status } | { ok: false; reason: string };

export function transition(from: Status, action: CaseAction): TransitionResult {
  const rule = TRANSITIONS[action];
  if (rule.from.includes(from)) return { ok: true, to: rule.to };
  const reasons: Record<CaseAction, string> = {
    'start-review': 'Only a newly received application can be put into review',
    'request-information': isDecided(from)
      ? 'You cannot ask for more information about an application that has been decided'
      : 'This application is already waiting for information from the citizen',
    'citizen-replied': 'The citizen can only reply when more information has been asked for',
    'withdraw-request': isDecided(from)
      ? 'This application has already been decided'
      : 'There is no request for information to withdraw: the citizen may have replied already',
    approve: isDecided(from)
      ? 'This application has already been decided'
      : 'You cannot approve an application while it is waiting for information from the citizen',
    reject: isDecided(from)
      ? 'This application has already been decided'
      : 'You cannot reject an application while it is waiting for information from the citizen',
  };
  return { ok: false, reason: reasons[action] };
}

export const isStatus = (value: unknown): value is Status => (STATUSES as readonly unknown[]).includes(value);
