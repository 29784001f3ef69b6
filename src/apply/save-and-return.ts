import type { Request, Response } from 'express';
import { ukDate } from '../clock';
import { createSecretBox, type SecretBox } from '../crypto/secret-box';
import {
  createDraftLink,
  liveDraftsFor,
  redeemDraftLink,
  saveDraft,
  type Draft,
} from '../drafts/draft-repository';
import { DRAFT_LINK_PURPOSE, draftTokenContext } from '../drafts/draft-link';
import { isLinkToken } from '../crypto/link-token';
import { pagesToSave, restoreDraft } from '../drafts/restore';
import type { Knex } from 'knex';
import { CHECK_ANSWERS, type ServiceDefinition } from '../definitions/types';
import { isComplete, walk } from '../journey/journey';
import { emailLimitKey, renderTooMany, type RateLimit } from '../middleware/rate-limit';
import { renewSessionId, saveSession } from '../middleware/session';
import { contactEmailOf } from '../notifications/contact';
import { enqueue } from '../notifications/outbox';
import { parseEmail } from '../questions/formats/email';
import { formatDate } from '../questions/date';
import { stringField } from '../questions/question-type';
import { cleanText } from '../questions/sanitise';
import { applicationOf, hasApplication, saveApplication } from './application-state';
import type { ApplyDeps } from './deps';
import { serviceOf } from './service-param';

// Save and come back later (docs/save-and-return.md): the citizen gives an email address, the answers are kept on
// the server as a draft, and we email a link that continues it once, on any device. "Get a new link" sends a new
// one for every draft kept for an address, with the same answer on screen whether or not there are any.

declare module 'express-session' {
  interface SessionData {
    /** The draft each service's journey was saved as or continued from, by service slug. */
    drafts?: Record<string, string>;
    /** What the "saved" page says, by service slug. */
    savedDraft?: Record<string, { email: string; linkUntil: string; keptUntil: string }>;
    /** What the "welcome back" page says after a link is followed, by service slug. */
    restoredDraft?: Record<string, { savedOn: string; answerAgain: readonly string[] }>;
  }
}

/** Saves per client address and emails per address, per hour. */
export const SAVE_LIMITS = { perClient: 30, perEmail: 5, durationSeconds: 60 * 60 } as const;

const DAY_MS = 24 * 60 * 60 * 1000;
const EMAIL_MISSING = 'Enter your email address';
const EMAIL_FORMAT = 'Enter an email address in the correct format, like name@example.com';

export function forgetDraft(req: Request, slug: string): void {
  if (req.session.drafts && Object.hasOwn(req.session.drafts, slug)) {
    const { [slug]: _dropped, ...rest } = req.session.drafts;
    req.session.drafts = rest;
  }
}

/** Where the citizen was: the next page to answer, or check answers. */
function whereTheyWere(service: ServiceDefinition, req: Request): string {
  const state = applicationOf(req, service);
  const { next } = walk(service, state);
  return `/services/${service.slug}/${next && !isComplete(service, state) ? next.id : CHECK_ANSWERS}`;
}

function readEmail(body: Readonly<Record<string, unknown>> | undefined): {
  email: string;
  error?: string;
  value?: string;
} {
  const email = cleanText(stringField(body ?? {}, 'email')).slice(0, 320);
  if (!email) return { email, error: EMAIL_MISSING };
  const parsed = parseEmail(email);
  return parsed.ok ? { email, value: parsed.value.toLowerCase() } : { email, error: EMAIL_FORMAT };
}

/** The email with a new link to a draft, written in the caller's transaction. */
async function sendLink(
  trx: Knex.Transaction,
  deps: ApplyDeps,
  box: SecretBox,
  draft: Readonly<{ id: string; email: string; serviceTitle: string; expiresAt: Date }>,
  now: Date,
): Promise<{ linkUntil: string; keptUntil: string }> {
  const linkExpires = new Date(
    Math.min(now.getTime() + deps.config.drafts.linkDays * DAY_MS, draft.expiresAt.getTime()),
  );
  const token = await createDraftLink(trx, draft.id, now, linkExpires);
  // The day each stops, in words ("until 31 December 2026": at this time of day on that day).
  const dates = { linkUntil: ukDate(linkExpires), keptUntil: ukDate(draft.expiresAt) };
  await enqueue(trx, {
    template: 'draft-saved',
    recipient: draft.email,
    draftId: draft.id,
    now,
    data: {
      draftId: draft.id,
      serviceTitle: draft.serviceTitle,
      sealedToken: box.seal(token, draftTokenContext(draft.id)),
      ...dates,
    },
  });
  return dates;
}

/**
 * Bring a draft's answers back into this browser's session, under a new session id, and say where to go: the
 * "continue your application" page. Undefined when the service has gone. Used by the emailed link and by "your
 * applications".
 */
export async function continueDraft(
  req: Request,
  deps: ApplyDeps,
  draft: Draft,
): Promise<string | undefined> {
  const service = deps.registry.find(draft.serviceSlug);
  if (!service) return undefined;
  const { state, answerAgain } = restoreDraft(service, {
    version: draft.serviceVersion,
    state: draft.state,
    pages: draft.pages,
  });
  await renewSessionId(req);
  saveApplication(req, service, { ...state, uploadKey: draft.uploadKey ?? undefined });
  req.session.drafts = { ...req.session.drafts, [service.slug]: draft.id };
  req.session.restoredDraft = {
    ...req.session.restoredDraft,
    [service.slug]: { savedOn: ukDate(draft.savedAt), answerAgain },
  };
  const { [service.slug]: _old, ...otherSaved } = req.session.savedDraft ?? {};
  req.session.savedDraft = otherSaved;
  await saveSession(req);
  return `/services/${service.slug}/continue`;
}

export function setUpSaveAndReturn(
  deps: ApplyDeps,
  limits: Readonly<{ perClient: RateLimit; perEmail: RateLimit }>,
) {
  const box = createSecretBox(deps.config.session.secret, DRAFT_LINK_PURPOSE);
  const keptFor = (now: Date) => new Date(now.getTime() + deps.config.drafts.keepDays * DAY_MS);

  function renderSaveForm(req: Request, res: Response, status: number, email: string, error?: string): void {
    const service = serviceOf(res);
    res.status(status).render('apply/save', {
      service,
      email,
      backHref: whereTheyWere(service, req),
      keptUntil: formatDate(ukDate(keptFor(deps.clock()))),
      linkDays: deps.config.drafts.linkDays,
      errorList: error ? [{ text: error, href: '#email' }] : [],
      emailError: error ? { text: error } : undefined,
    });
  }

  /** GET /services/:service/save */
  const showSaveForm = (req: Request, res: Response) => {
    const service = serviceOf(res);
    if (!hasApplication(req, service)) {
      res.redirect(`/services/${service.slug}`);
      return;
    }
    const state = applicationOf(req, service);
    const known =
      req.session.savedDraft?.[service.slug]?.email ?? contactEmailOf(service.pages, state.answers) ?? '';
    renderSaveForm(req, res, 200, known);
  };

  /** POST /services/:service/save: keep the draft, email the link, say so. */
  const save = async (req: Request, res: Response) => {
    const service = serviceOf(res);
    if (!hasApplication(req, service)) {
      res.redirect(303, `/services/${service.slug}`);
      return;
    }
    const { email, error, value } = readEmail(req.body);
    if (!value) return renderSaveForm(req, res, 422, email, error);
    for (const [limit, key] of [
      [limits.perClient, req.ip ?? 'unknown'],
      [limits.perEmail, emailLimitKey(value)],
    ] as const) {
      const verdict = await limit.consume(key);
      if (!verdict.allowed) {
        renderTooMany(res, verdict.retryAfterSeconds, 'errors/too-many-saves', {
          backHref: whereTheyWere(service, req),
        });
        return;
      }
    }
    const now = deps.clock();
    const state = applicationOf(req, service);
    const expiresAt = keptFor(now);
    const { id, dates } = await deps.db.transaction(async (trx) => {
      const draftId = await saveDraft(trx, {
        id: req.session.drafts?.[service.slug],
        serviceSlug: service.slug,
        serviceVersion: service.version,
        email: value,
        state,
        pages: pagesToSave(service),
        uploadKey: state.uploadKey,
        now,
        expiresAt,
      });
      const sent = await sendLink(
        trx,
        deps,
        box,
        { id: draftId, email: value, serviceTitle: service.title, expiresAt },
        now,
      );
      return { id: draftId, dates: sent };
    });
    req.session.drafts = { ...req.session.drafts, [service.slug]: id };
    req.session.savedDraft = { ...req.session.savedDraft, [service.slug]: { email: value, ...dates } };
    await saveSession(req);
    res.redirect(303, `/services/${service.slug}/saved`);
  };

  /** GET /services/:service/saved */
  const showSaved = (req: Request, res: Response) => {
    const service = serviceOf(res);
    const saved = req.session.savedDraft?.[service.slug];
    if (!saved) {
      res.redirect(`/services/${service.slug}/save`);
      return;
    }
    res.render('apply/saved', {
      service,
      email: saved.email,
      linkUntil: formatDate(saved.linkUntil),
      keptUntil: formatDate(saved.keptUntil),
      backHref: whereTheyWere(service, req),
    });
  };

  /** GET /continue/:token: the link in the email. Works once; the answers come back into this browser. */
  const followLink = async (req: Request, res: Response) => {
    const token = typeof req.params.token === 'string' ? req.params.token : '';
    const redeemed = isLinkToken(token)
      ? await redeemDraftLink(deps.db, token, deps.clock())
      : ({ ok: false, problem: 'unknown' } as const);
    if (!redeemed.ok) {
      const status = redeemed.problem === 'unknown' ? 404 : 410;
      res.status(status).render('apply/draft-link-failed', { problem: redeemed.problem });
      return;
    }
    const continued = await continueDraft(req, deps, redeemed.draft);
    if (!continued) {
      res.status(410).render('apply/draft-link-failed', { problem: 'service' });
      return;
    }
    res.redirect(303, continued);
  };

  /** GET /services/:service/continue: welcome back, and what must be answered again. */
  const showRestored = (req: Request, res: Response) => {
    const service = serviceOf(res);
    const restored = req.session.restoredDraft?.[service.slug];
    if (!restored || !hasApplication(req, service)) {
      res.redirect(`/services/${service.slug}`);
      return;
    }
    res.render('apply/restored', {
      service,
      savedOn: formatDate(restored.savedOn),
      answerAgain: restored.answerAgain,
      continueHref: whereTheyWere(service, req),
    });
  };

  /** GET /continue: get a new link. */
  const showNewLinkForm = (_req: Request, res: Response) => {
    res.render('apply/new-draft-link', { email: '' });
  };

  /** POST /continue: a new link for every draft kept for the address; the same answer whether or not any. */
  const sendNewLinks = async (req: Request, res: Response) => {
    const { email, error, value } = readEmail(req.body);
    if (!value) {
      res.status(422).render('apply/new-draft-link', {
        email,
        errorList: [{ text: error, href: '#email' }],
        emailError: { text: error },
      });
      return;
    }
    const client = await limits.perClient.consume(req.ip ?? 'unknown');
    if (!client.allowed) {
      renderTooMany(res, client.retryAfterSeconds, 'errors/too-many-saves', { backHref: '/continue' });
      return;
    }
    const perEmail = await limits.perEmail.consume(emailLimitKey(value));
    if (perEmail.allowed) {
      const now = deps.clock();
      const drafts = await liveDraftsFor(deps.db, value, now, 5);
      for (const draft of drafts) {
        const title = deps.registry.find(draft.serviceSlug)?.title;
        if (!title) continue;
        await deps.db.transaction((trx) => sendLink(trx, deps, box, { ...draft, serviceTitle: title }, now));
      }
    }
    res.redirect(303, '/continue/sent');
  };

  const showNewLinksSent = (_req: Request, res: Response) => res.render('apply/new-draft-link-sent');

  return {
    showSaveForm,
    save,
    showSaved,
    followLink,
    showRestored,
    showNewLinkForm,
    sendNewLinks,
    showNewLinksSent,
  };
}
