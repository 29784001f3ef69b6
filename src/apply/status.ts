import type { Request, Response } from 'express';
import { parsePostcode } from '../questions/formats/postcode';
import { parseEmail } from '../questions/formats/email';
import { cleanText } from '../questions/sanitise';
import { stringField } from '../questions/question-type';
import { formatReference, parseReference } from '../submissions/reference';
import { findStatus } from '../submissions/submission-repository';
import { formatDate } from '../questions/date';
import { ukDate } from '../clock';
import type { RateLimit } from '../middleware/rate-limit';
import type { ApplyDeps } from './deps';

export const STATUS_LABELS: Readonly<Record<string, string>> = {
  submitted: 'Received',
  'in-progress': 'Being processed',
  'awaiting-information': 'Waiting for information from you',
  approved: 'Approved',
  rejected: 'Rejected',
  withdrawn: 'Withdrawn',
};
const EVENT_LABELS: Readonly<Record<string, string>> = {
  submitted: 'Application received',
  assigned: 'Application being processed',
  'information-requested': 'More information requested from you',
  'information-provided': 'Information received',
  approved: 'Application approved',
  rejected: 'Application rejected',
};

const NOT_FOUND =
  'We could not find an application with that reference number and postcode or email address. Check them and try again';

type Values = { reference: string; proof: string };

function renderForm(res: Response, status: number, values: Values, errors: { text: string; href: string }[]) {
  res.status(status).render('apply/status-form', {
    values,
    errorList: errors,
    referenceError: errors.find((e) => e.href === '#reference'),
    proofError: errors.find((e) => e.href === '#proof'),
  });
}

/** GET /check-status */
export function showStatusForm() {
  return (_req: Request, res: Response) => renderForm(res, 200, { reference: '', proof: '' }, []);
}

/**
 * POST /check-status — the reference and the postcode or email given in the application. A wrong pair and an
 * unknown reference get the same answer, and attempts are limited per client and per reference, so references
 * cannot be enumerated.
 */
export function checkStatus(deps: ApplyDeps, limits: { perClient: RateLimit; perReference: RateLimit }) {
  return async (req: Request, res: Response) => {
    const body = req.body ?? {};
    const values = {
      reference: cleanText(stringField(body, 'reference')).slice(0, 40),
      proof: cleanText(stringField(body, 'proof')).slice(0, 254),
    };
    const errors: { text: string; href: string }[] = [];
    if (!values.reference) errors.push({ text: 'Enter your reference number', href: '#reference' });
    if (!values.proof)
      errors.push({
        text: 'Enter the postcode or email address you gave in your application',
        href: '#proof',
      });
    if (errors.length > 0) {
      renderForm(res, 422, values, errors);
      return;
    }

    const reference = parseReference(values.reference);
    for (const [limit, key] of [
      [limits.perClient, req.ip ?? 'unknown'],
      [limits.perReference, reference ?? values.reference.toUpperCase()],
    ] as const) {
      const verdict = await limit.consume(key);
      if (!verdict.allowed) {
        res
          .status(429)
          .set('Retry-After', String(verdict.retryAfterSeconds))
          .render('errors/too-many-attempts', {
            minutes: Math.ceil(verdict.retryAfterSeconds / 60),
          });
        return;
      }
    }

    const email = values.proof.includes('@') ? parseEmail(values.proof) : undefined;
    const postcode = email ? undefined : parsePostcode(values.proof);
    const found = reference
      ? await findStatus(deps.db, reference, {
          email: email?.ok ? email.value.toLowerCase() : undefined,
          postcode: postcode?.ok ? postcode.value : undefined,
        })
      : undefined;
    if (!found) {
      renderForm(res, 422, values, [{ text: NOT_FOUND, href: '#reference' }]);
      return;
    }
    res.render('apply/status-result', {
      reference: formatReference(found.reference),
      serviceTitle: found.serviceTitle,
      status: STATUS_LABELS[found.status] ?? found.status,
      submittedOn: formatDate(ukDate(found.submittedAt)),
      timeline: found.events.map((e) => ({
        label: EVENT_LABELS[e.type] ?? e.type,
        date: formatDate(ukDate(e.occurredAt)),
        datetime: e.occurredAt.toISOString(),
      })),
    });
  };
}
