import { takeIn, type Accepted } from '../uploads/intake';
import type { Request, Response } from 'express';
import { parsePhone } from '../questions/formats/phone';
import { parseEmail } from '../questions/formats/email';
import { cleanText } from '../questions/sanitise';
import { stringField } from '../questions/question-type';
import { formatReference, parseReference } from '../submissions/reference';
import { findContactEmail, findStatus, findStatusByReference } from '../submissions/submission-repository';
import type { StatusLinkSigner } from '../notifications/status-link';
import { recordCitizenReply } from '../staff/case-repository';
import { STATUS_TEXT, isDecided, isStatus, type Status } from '../submissions/status';
import { formatDate } from '../questions/date';
import { ukDate } from '../clock';
import { renderTooMany, type RateLimit } from '../middleware/rate-limit';
import { renewSessionId, saveSession } from '../middleware/session';
import type { ApplyDeps } from './deps';

// What the citizen reads for each event; internal ones (unassigning) are not shown to them.
const EVENT_LABELS: Readonly<Record<string, string>> = {
  submitted: 'Application received',
  assigned: 'Application being reviewed',
  'information-requested': 'More information asked for',
  'information-provided': 'Your reply received',
  'reminder-sent': 'Reminder sent to you',
  'request-withdrawn': 'We no longer needed the information we asked for',
  approved: 'Application approved',
  rejected: 'Application rejected',
};
const REPLY_MAX = 2000;
/** How long a successful status check lets this browser see the application and reply. */
const ACCESS_MS = 30 * 60 * 1000;

declare module 'express-session' {
  interface SessionData {
    /** The application this browser proved it may see, until `until` (ms since epoch). */
    statusAccess?: { reference: string; until: number };
  }
}

/** Where the citizen's reply is sent: the one citizen route besides the upload pages that takes a file. */
export const REPLY_PATH = '/check-status/your-application/reply';

/** A file sent with a reply: a photo or scan of a letter, say. */
export const REPLY_FILE_RULES = { accept: ['jpg', 'png', 'pdf'], maxBytes: 10 * 1024 * 1024 } as const;

const NOT_FOUND =
  'We could not find an application with that reference number and email address or phone number. Check them and try again';

type Values = { reference: string; proof: string };

function renderForm(res: Response, status: number, values: Values, errors: { text: string; href: string }[]) {
  res.status(status).render('apply/status-form', {
    values,
    errorList: errors,
    referenceError: errors.find((e) => e.href === '#reference'),
    proofError: errors.find((e) => e.href === '#proof'),
  });
}

/** GET /check-status; ?reference= (the link in our emails) fills in the reference, nothing more. */
export function showStatusForm() {
  return (req: Request, res: Response) => {
    const given = typeof req.query.reference === 'string' ? req.query.reference : '';
    const reference = parseReference(given) ? cleanText(given).slice(0, 40) : '';
    renderForm(res, 200, { reference, proof: '' }, []);
  };
}

/** The email address (lower-cased) or phone number (E.164) typed as proof, normalised as the service stored it. */
function proofOf(text: string): { email?: string; phone?: string } {
  if (text.includes('@')) {
    const email = parseEmail(text);
    return email.ok ? { email: email.value.toLowerCase() } : {};
  }
  const phone = parsePhone(text);
  return phone.ok ? { phone: phone.value } : {};
}

/**
 * POST /check-status — the reference and the email address or phone number the applicant gave about themselves
 * (the questions each service marks with `statusCheckQuestions`). A wrong pair and an unknown reference get the
 * same answer. Wrong attempts are limited per client address and per reference from that address, never per
 * reference alone, so someone holding a reference cannot lock its owner out from another address.
 */
export function checkStatus(
  deps: ApplyDeps,
  limits: { perClient: RateLimit; perReferenceAndClient: RateLimit },
) {
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
        text: 'Enter the email address or phone number you gave in your application',
        href: '#proof',
      });
    if (errors.length > 0) {
      renderForm(res, 422, values, errors);
      return;
    }

    const reference = parseReference(values.reference);
    const client = req.ip ?? 'unknown';
    // An attempt is spent before checking, so parallel guesses cannot slip past the limit, and given back
    // when the check succeeds, so only wrong guesses count against a person.
    const spent = [
      [limits.perClient, client],
      [limits.perReferenceAndClient, `${reference ?? values.reference.toUpperCase()} ${client}`],
    ] as const;
    for (const [limit, key] of spent) {
      const verdict = await limit.consume(key);
      if (!verdict.allowed) {
        renderTooMany(res, verdict.retryAfterSeconds, 'errors/too-many-attempts');
        return;
      }
    }

    const found = reference ? await findStatus(deps.db, reference, proofOf(values.proof)) : undefined;
    if (!found) {
      renderForm(res, 422, values, [{ text: NOT_FOUND, href: '#reference' }]);
      return;
    }
    await Promise.all(spent.map(([limit, key]) => limit.giveBack(key)));
    await grantAccess(req, deps, found.reference);
    res.redirect(303, '/check-status/your-application');
  };
}

/** This browser may see the application (and reply) for the next ACCESS_MS, under a new session id. */
export async function grantAccess(req: Request, deps: ApplyDeps, reference: string): Promise<void> {
  await renewSessionId(req);
  req.session.statusAccess = { reference, until: deps.clock().getTime() + ACCESS_MS };
  await saveSession(req);
}

/**
 * GET /check-status/link/:token — the signed link in a request for more information and its reminder
 * (src/notifications/status-link.ts) opens the status page without the status check. It must be ours, for the
 * address the application's emails go to, and not expired. A link that is not ours counts against the client's
 * status-check limit like a wrong check; an expired one says so and offers the status check with the reference.
 */
export function openStatusLink(deps: ApplyDeps, links: StatusLinkSigner, perClient: RateLimit) {
  return async (req: Request, res: Response) => {
    const claim = links.read(typeof req.params.token === 'string' ? req.params.token : '');
    const recipient = claim ? await findContactEmail(deps.db, claim.reference) : undefined;
    if (!claim || !recipient || !links.matches(claim, recipient)) {
      const verdict = await perClient.consume(req.ip ?? 'unknown');
      if (!verdict.allowed) {
        renderTooMany(res, verdict.retryAfterSeconds, 'errors/too-many-attempts');
        return;
      }
      res.status(404).render('apply/status-link-failed', { expired: false });
      return;
    }
    if (claim.expiresAt.getTime() <= deps.clock().getTime()) {
      res.status(410).render('apply/status-link-failed', {
        expired: true,
        reference: formatReference(claim.reference),
        days: deps.config.notifications.statusLinkDays,
      });
      return;
    }
    await grantAccess(req, deps, claim.reference);
    res.redirect(303, '/check-status/your-application');
  };
}

function accessibleReference(req: Request, deps: ApplyDeps): string | undefined {
  const access = req.session.statusAccess;
  return access && access.until > deps.clock().getTime() ? access.reference : undefined;
}

async function renderApplication(
  deps: ApplyDeps,
  req: Request,
  res: Response,
  reference: string,
  state: {
    status?: number;
    errors?: { text: string; href: string }[];
    reply?: string;
    sent?: boolean;
    /** Why a reply was not taken (the request was withdrawn meanwhile): not a field to correct. */
    problem?: string;
  } = {},
) {
  const found = await findStatusByReference(deps.db, reference);
  if (!found) {
    res.redirect(303, '/check-status');
    return;
  }
  // What comes next: the live definition's words (a service may be withdrawn: then none are shown).
  const service = deps.registry.find(found.serviceSlug);
  res.status(state.status ?? 200).render('apply/status-result', {
    reference: formatReference(found.reference),
    serviceTitle: found.serviceTitle,
    expectedBy: found.dueDate && !isDecided(found.status as Status) ? formatDate(found.dueDate) : undefined,
    afterApproval: found.status === 'approved' ? (service?.afterApproval ?? []) : [],
    agency: found.status === 'rejected' ? service?.agency : undefined,
    status: isStatus(found.status) ? STATUS_TEXT[found.status] : found.status,
    awaitingReply: found.status === 'awaiting-citizen',
    decisionReason: found.status === 'rejected' ? found.decisionReason : undefined,
    submittedOn: formatDate(ukDate(found.submittedAt)),
    timeline: found.events
      .filter((e) => EVENT_LABELS[e.type])
      .map((e) => ({
        label: EVENT_LABELS[e.type],
        date: formatDate(ukDate(e.occurredAt)),
        datetime: e.occurredAt.toISOString(),
      })),
    messages: found.messages.map((m) => ({ ...m, date: formatDate(ukDate(m.createdAt)) })),
    errorList: state.errors ?? [],
    reply: state.reply ?? '',
    sent: state.sent,
    problem: state.problem,
    replyMax: REPLY_MAX,
    // Opened from "your applications" (your-applications.ts): the way back there.
    signedIn: req.session.citizen !== undefined,
  });
}

/** GET /check-status/your-application — the application this browser proved it may see. */
export function showApplication(deps: ApplyDeps) {
  return async (req: Request, res: Response) => {
    const reference = accessibleReference(req, deps);
    if (!reference) {
      res.redirect(303, '/check-status');
      return;
    }
    await renderApplication(deps, req, res, reference, { sent: req.query.sent === 'true' });
  };
}

/** POST /check-status/your-application/reply — the citizen answers a request for more information. */
export function replyToRequest(deps: ApplyDeps) {
  return async (req: Request, res: Response) => {
    const reference = accessibleReference(req, deps);
    if (!reference) {
      res.redirect(303, '/check-status');
      return;
    }
    const reply = cleanText(stringField(req.body ?? {}, 'reply'), { multiline: true });
    const problem = !reply
      ? 'Enter your reply'
      : [...reply].length > REPLY_MAX
        ? `Your reply must be ${REPLY_MAX} characters or less`
        : undefined;
    if (problem) {
      await renderApplication(deps, req, res, reference, {
        status: 422,
        errors: [{ text: problem, href: '#reply' }],
        reply,
      });
      return;
    }
    // A file sent with the reply: optional, one, checked and scanned like every upload (src/uploads/intake.ts).
    let attachment: Accepted | undefined;
    if (req.receivedFile) {
      const taken = await takeIn(req.receivedFile, REPLY_FILE_RULES, deps.scanner, req.log);
      if (!taken.ok && 'scannerUnavailable' in taken) {
        res
          .status(503)
          .set('Retry-After', '60')
          .render('errors/upload-unavailable', { backHref: '/check-status/your-application' });
        return;
      }
      if (!taken.ok) {
        // The reply is kept; a browser never keeps a chosen file, so the file is chosen again.
        await renderApplication(deps, req, res, reference, {
          status: 422,
          errors: [{ text: taken.message, href: '#replyFile' }],
          reply,
        });
        return;
      }
      attachment = taken;
    }
    const outcome = await recordCitizenReply(
      deps.db,
      reference,
      reply,
      deps.clock(),
      deps.calendar,
      String(req.id),
      attachment,
    );
    if (!outcome.ok) {
      // The reply form has gone (nothing is waiting for a reply): a banner, and what they wrote shown back.
      await renderApplication(deps, req, res, reference, { status: 409, problem: outcome.message, reply });
      return;
    }
    res.redirect(303, '/check-status/your-application?sent=true');
  };
}
