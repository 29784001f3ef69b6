import type { Template } from './outbox';

/** Each message's name as people read it: the back office's list of emails that could not be sent. */
export const TEMPLATE_NAMES: Readonly<Record<Template, string>> = {
  'application-sent': 'Application received',
  'information-requested': 'More information needed',
  decision: 'Application approved or rejected',
  'lost-reference': 'Your application reference numbers',
  reminder: 'Reminder: more information needed',
  'request-withdrawn': 'We no longer need the information',
  'citizen-replied': 'A citizen replied (to staff)',
  'draft-saved': 'Continue your application (saved answers)',
  'sign-in': 'Sign in to see your applications',
};
