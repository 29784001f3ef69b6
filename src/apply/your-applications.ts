import { Router, type NextFunction, type Request, type Response } from 'express';
import { ukDate } from '../clock';
import { createSecretBox } from '../crypto/secret-box';
import { isLinkToken } from '../crypto/link-token';
import { deleteDraftOf, liveDraftOf, liveDraftsFor } from '../drafts/draft-repository';
import { acceptOnly, BUTTON_ONLY, field, formWith } from '../middleware/form-fields';
import { createEmailFormLimits, emailLimitKey, renderTooMany } from '../middleware/rate-limit';
import { saveSession } from '../middleware/session';
import { enqueue } from '../notifications/outbox';
import { parseEmail } from '../questions/formats/email';
import { formatDate } from '../questions/date';
import { stringField } from '../questions/question-type';
import { cleanText } from '../questions/sanitise';
import { signedInCitizen, signIn, signOut } from '../sign-in/citizen-session';
import { SIGN_IN_LINK_PURPOSE, SIGN_IN_PATH, signInTokenContext } from '../sign-in/sign-in-link';
import { checkSignInLink, createSignInLink, useSignInLink } from '../sign-in/sign-in-repository';
import { formatReference, parseReference } from '../submissions/reference';
import { STATUS_TEXT, isDecided, isStatus, type Status } from '../submissions/status';
import { applicationsFor, wasSentWith } from '../submissions/submission-repository';
import type { ApplyDeps } from './deps';
import { continueDraft } from './save-and-return';
import { grantAccess } from './status';

// "Your applications" (docs/your-applications.md): a citizen signs in with a link we email to see every application
// sent with that address (status, dates, the latest message from us, a reply to an open request) and the answers
// they saved (continue or delete). Everything shown is looked up by the signed-in address, never by anything the
// browser sends alone: a reference or draft id of someone else's is "not found".

declare module 'express-session' {
  interface SessionData {
    /** Where the last sign-in link went: the "check your email" page says so. */
    signInSentTo?: string;
    /** A one-off message for the next page: signed out, timed out, saved answers deleted. */
    accountNotice?: 'signed-out' | 'timed-out' | 'draft-deleted';
  }
}

export const YOUR_APPLICATIONS_PATH = '/your-applications';

/** Links asked for per client address, and sent per email address, per hour. */
export const SIGN_IN_LIMITS = { perClient: 20, perEmail: 5, durationSeconds: 60 * 60 } as const;
/** The most applications and saved drafts one page lists. */
const LISTED_APPLICATIONS = 50;
const LISTED_DRAFTS = 20;
const MESSAGE_EXCERPT = 300;

const EMAIL_MISSING = 'Enter your email address';
const EMAIL_FORMAT = 'Enter an email address in the correct format, like name@example.com';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The tag colour for each status: orange where the citizen has something to do. */
const STATUS_TAG: Readonly<Record<Status, string>> = {
  submitted: 'govuk-tag--blue',
  'in-review': 'govuk-tag--light-blue',
  'awaiting-citizen': 'govuk-tag--orange',
  approved: 'govuk-tag--green',
  rejected: 'govuk-tag--red',
};

const excerpt = (text: string) =>
  [...text].length > MESSAGE_EXCERPT ? `${[...text].slice(0, MESSAGE_EXCERPT).join('').trimEnd()}…` : text;

type SignedInLocals = { citizenEmail: string };

export function setUpYourApplications(deps: ApplyDeps): Router {
  const router = Router();
  const box = createSecretBox(deps.config.session.secret, SIGN_IN_LINK_PURPOSE);
  const idleMs = deps.config.signIn.idleMinutes * 60_000;
  const limits = createEmailFormLimits(deps.db, 'sign-in', SIGN_IN_LIMITS);

  /** Only for a signed-in citizen; anyone else goes to the sign-in page (told why, if their sign-in timed out). */
  const signedIn = async (req: Request, res: Response, next: NextFunction) => {
    const who = signedInCitizen(req, deps.clock(), idleMs);
    if (!who.signedIn) {
      if (who.timedOut) {
        req.session.accountNotice = 'timed-out';
        await saveSession(req);
      }
      res.redirect(303, SIGN_IN_PATH);
      return;
    }
    (res.locals as SignedInLocals).citizenEmail = who.email;
    next();
  };
  const citizenOf = (res: Response) => (res.locals as SignedInLocals).citizenEmail;

  /** A one-off notice, read once. */
  const takeNotice = (req: Request) => {
    const notice = req.session.accountNotice;
    if (notice) delete req.session.accountNotice;
    return notice;
  };

  function renderSignInForm(req: Request, res: Response, status: number, email: string, error?: string) {
    res.status(status).render('account/sign-in', {
      email,
      notice: takeNotice(req),
      idleMinutes: deps.config.signIn.idleMinutes,
      errorList: error ? [{ text: error, href: '#email' }] : [],
      emailError: error ? { text: error } : undefined,
    });
  }

  /** GET /your-applications/sign-in; a signed-in citizen goes straight to their list. */
  router.get(SIGN_IN_PATH, (req, res) => {
    if (signedInCitizen(req, deps.clock(), idleMs).signedIn) {
      res.redirect(303, YOUR_APPLICATIONS_PATH);
      return;
    }
    renderSignInForm(req, res, 200, '');
  });

  /**
   * POST /your-applications/sign-in: a link to any well-formed address, whether or not it has applications (the
   * page says the same either way, and the list may simply be empty). Beyond the per-address limit, the same page
   * and nothing sent, so nobody can flood an inbox.
   */
  router.post(SIGN_IN_PATH, acceptOnly(formWith({ email: field })), async (req, res) => {
    const email = cleanText(stringField(req.body ?? {}, 'email')).slice(0, 320);
    const parsed = email ? parseEmail(email) : undefined;
    if (!parsed?.ok) return renderSignInForm(req, res, 422, email, email ? EMAIL_FORMAT : EMAIL_MISSING);
    const address = parsed.value.toLowerCase();
    const client = await limits.perClient.consume(req.ip ?? 'unknown');
    if (!client.allowed) {
      renderTooMany(res, client.retryAfterSeconds, 'errors/too-many-saves');
      return;
    }
    if ((await limits.perEmail.consume(emailLimitKey(address))).allowed) {
      const now = deps.clock();
      const minutes = deps.config.signIn.linkMinutes;
      await deps.db.transaction(async (trx) => {
        const link = await createSignInLink(trx, address, now, new Date(now.getTime() + minutes * 60_000));
        await enqueue(trx, {
          template: 'sign-in',
          recipient: address,
          signInLinkId: link.id,
          now,
          data: { linkId: link.id, sealedToken: box.seal(link.token, signInTokenContext(link.id)), minutes },
        });
      });
    }
    req.session.signInSentTo = address;
    await saveSession(req);
    res.redirect(303, `${YOUR_APPLICATIONS_PATH}/check-email`);
  });

  /** GET /your-applications/check-email */
  router.get(`${YOUR_APPLICATIONS_PATH}/check-email`, (req, res) => {
    const email = req.session.signInSentTo;
    if (!email) {
      res.redirect(SIGN_IN_PATH);
      return;
    }
    res.render('account/check-email', { email, minutes: deps.config.signIn.linkMinutes });
  });

  const tokenOf = (req: Request) => (isLinkToken(req.params.token) ? req.params.token : undefined);
  const renderLinkFailed = (res: Response, problem: 'unknown' | 'used' | 'expired') =>
    res.status(problem === 'unknown' ? 404 : 410).render('account/sign-in-failed', { problem });

  /**
   * GET /your-applications/sign-in/:token: the link in the email shows a "Sign in" button and uses nothing. Mail
   * scanners that open every link in a message would otherwise spend a link that works once.
   */
  router.get(`${SIGN_IN_PATH}/:token`, async (req, res) => {
    const token = tokenOf(req);
    const check = token ? await checkSignInLink(deps.db, token, deps.clock()) : undefined;
    if (!check?.ok) {
      renderLinkFailed(res, check?.problem ?? 'unknown');
      return;
    }
    res.render('account/sign-in-link', { email: check.email, action: `${SIGN_IN_PATH}/${token}` });
  });

  /** POST /your-applications/sign-in/:token: uses the link (once) and signs in under a new session id. */
  router.post(`${SIGN_IN_PATH}/:token`, acceptOnly(BUTTON_ONLY), async (req, res) => {
    const token = tokenOf(req);
    const now = deps.clock();
    const used = token ? await useSignInLink(deps.db, token, now) : undefined;
    if (!used?.ok) {
      renderLinkFailed(res, used?.problem ?? 'unknown');
      return;
    }
    await signIn(req, used.email, now);
    res.redirect(303, YOUR_APPLICATIONS_PATH);
  });

  /** GET /your-applications: what was sent with the address, and the answers saved with it. */
  router.get(YOUR_APPLICATIONS_PATH, signedIn, async (req, res) => {
    const email = citizenOf(res);
    const now = deps.clock();
    const [applications, drafts] = await Promise.all([
      applicationsFor(deps.db, email, LISTED_APPLICATIONS),
      liveDraftsFor(deps.db, email, now, LISTED_DRAFTS),
    ]);
    res.render('account/applications', {
      email,
      notice: takeNotice(req),
      applications: applications.map((a) => {
        const status = isStatus(a.status) ? a.status : undefined;
        return {
          reference: formatReference(a.reference),
          href: `${YOUR_APPLICATIONS_PATH}/application/${formatReference(a.reference)}`,
          serviceTitle: a.serviceTitle,
          sentOn: formatDate(ukDate(a.submittedAt)),
          status: status ? STATUS_TEXT[status] : a.status,
          statusTag: status ? STATUS_TAG[status] : 'govuk-tag--grey',
          awaitingReply: status === 'awaiting-citizen',
          expectedBy: a.dueDate && status && !isDecided(status) ? formatDate(a.dueDate) : undefined,
          latestMessage: a.latestMessage
            ? { text: excerpt(a.latestMessage.body), date: formatDate(ukDate(a.latestMessage.createdAt)) }
            : undefined,
        };
      }),
      drafts: drafts.map((d) => ({
        id: d.id,
        serviceTitle: deps.registry.find(d.serviceSlug)?.title,
        savedOn: formatDate(ukDate(d.savedAt)),
        keptUntil: formatDate(ukDate(d.expiresAt)),
      })),
    });
  });

  /** GET /your-applications/application/:reference: opens the status page (and its reply form) for one of theirs. */
  router.get(`${YOUR_APPLICATIONS_PATH}/application/:reference`, signedIn, async (req, res) => {
    const reference =
      typeof req.params.reference === 'string' ? parseReference(req.params.reference) : undefined;
    if (!reference || !(await wasSentWith(deps.db, reference, citizenOf(res)))) {
      res.status(404).render('errors/not-found');
      return;
    }
    await grantAccess(req, deps, reference);
    res.redirect(303, '/check-status/your-application');
  });

  /** One of the signed-in citizen's live drafts, from the URL; undefined (a 404 page sent) for anything else. */
  async function draftFrom(req: Request, res: Response) {
    const id = typeof req.params.id === 'string' && UUID.test(req.params.id) ? req.params.id : undefined;
    const draft = id ? await liveDraftOf(deps.db, id, citizenOf(res), deps.clock()) : undefined;
    if (!draft) res.status(404).render('errors/not-found');
    return draft;
  }

  /** POST /your-applications/drafts/:id/continue: the saved answers come back into this browser. */
  router.post(
    `${YOUR_APPLICATIONS_PATH}/drafts/:id/continue`,
    signedIn,
    acceptOnly(BUTTON_ONLY),
    async (req, res) => {
      const draft = await draftFrom(req, res);
      if (!draft) return;
      const continued = await continueDraft(req, deps, draft);
      if (!continued) {
        res.status(410).render('apply/draft-link-failed', { problem: 'service' });
        return;
      }
      res.redirect(303, continued);
    },
  );

  /** GET /your-applications/drafts/:id/delete: are you sure? */
  router.get(`${YOUR_APPLICATIONS_PATH}/drafts/:id/delete`, signedIn, async (req, res) => {
    const draft = await draftFrom(req, res);
    if (!draft) return;
    res.render('account/delete-draft', {
      action: `${YOUR_APPLICATIONS_PATH}/drafts/${draft.id}/delete`,
      serviceTitle: deps.registry.find(draft.serviceSlug)?.title ?? 'an application',
      savedOn: formatDate(ukDate(draft.savedAt)),
    });
  });

  /** POST /your-applications/drafts/:id/delete: the draft goes, with its links and emails. */
  router.post(
    `${YOUR_APPLICATIONS_PATH}/drafts/:id/delete`,
    signedIn,
    acceptOnly(BUTTON_ONLY),
    async (req, res) => {
      const draft = await draftFrom(req, res);
      if (!draft) return;
      await deleteDraftOf(deps.db, draft.id, citizenOf(res));
      req.session.accountNotice = 'draft-deleted';
      await saveSession(req);
      res.redirect(303, YOUR_APPLICATIONS_PATH);
    },
  );

  /** POST /your-applications/sign-out */
  router.post(`${YOUR_APPLICATIONS_PATH}/sign-out`, acceptOnly(BUTTON_ONLY), async (req, res) => {
    await signOut(req);
    req.session.accountNotice = 'signed-out';
    await saveSession(req);
    res.redirect(303, SIGN_IN_PATH);
  });

  return router;
}
