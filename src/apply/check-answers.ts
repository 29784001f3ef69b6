import crypto from 'node:crypto';
import type { Request, Response } from 'express';
import { CHECK_ANSWERS, type ServiceDefinition } from '../definitions/types';
import { answersToSend, isComplete, walk } from '../journey/journey';
import { answerSummary } from '../questions/summary';
import { findReferenceByToken } from '../submissions/submission-repository';
import { submitApplication } from '../submissions/submit';
import { applicationOf, clearApplication, saveApplication } from './application-state';
import type { ApplyDeps } from './deps';
import { serviceOf } from './service-param';
import { showAlreadySent } from './already-sent';
import { pageAsAsked } from '../definitions/wording';
import { saveSession } from '../middleware/session';
import { renderTooMany, type RateLimit } from '../middleware/rate-limit';
import { MissingUploadError } from '../uploads/upload-repository';
import { dropMissingUploads } from './upload-page';
import { forgetDraft } from './save-and-return';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** GET /services/:service/check-answers — only once every page that applies is answered. */
export function showCheckAnswers(_deps: ApplyDeps) {
  return async (req: Request, res: Response) => {
    const service = serviceOf(res);
    if (showAlreadySent(req, res)) return;
    let state = applicationOf(req, service);
    if (walk(service, state).next && state.checkpoint) {
      // Back to check answers in the middle of a change that opened new pages: the change is cancelled and the
      // answers are as they were before it.
      state = { ...state.checkpoint, counted: state.counted, uploadKey: state.uploadKey };
      saveApplication(req, service, state);
      await saveSession(req);
    }
    const { path, next } = walk(service, state);
    if (next) {
      res.redirect(`/services/${service.slug}/${next.id}`);
      return;
    }
    const submissionToken = state.submissionToken ?? crypto.randomUUID();
    if (!state.submissionToken) saveApplication(req, service, { ...state, submissionToken });
    const answers = answersToSend(service, state);
    const calculation = service.checkAnswers.calculation?.(answers);
    res.render('apply/check-answers', {
      service,
      sections: answerSummary(
        service.pages.map((p) => pageAsAsked(service, p, answers)),
        service.checkAnswers.sections,
        answers,
        {
          pagesShown: new Set(path.map((p) => p.id)),
          changeHref: (pageId) => `/services/${service.slug}/${pageId}?change=true`,
        },
      ),
      calculation: calculation && {
        title: calculation.title,
        rows: calculation.rows.map((r) => ({ key: { text: r.key }, value: { text: r.value } })),
        notes: calculation.notes,
      },
      submissionToken,
      backHref: `/services/${service.slug}/${path[path.length - 1]?.id ?? ''}`,
    });
  };
}

function rememberSubmitted(req: Request, service: ServiceDefinition, reference: string) {
  clearApplication(req, service);
  forgetDraft(req, service.slug);
  req.session.submitted = { ...req.session.submitted, [reference]: service.slug };
}

/**
 * POST /services/:service/check-answers — send. Idempotent on the submission token: a repeat of an
 * already-sent form goes to its confirmation; a database failure leaves the answers in the session (503 page).
 */
/** The window of the per-client limit on new applications (SUBMIT_LIMIT_PER_CLIENT). */
export const SEND_LIMIT_WINDOW_SECONDS = 10 * 60;

export function submit(deps: ApplyDeps, sendLimit?: RateLimit) {
  return async (req: Request, res: Response) => {
    const service = serviceOf(res);
    const token: unknown = req.body?.submissionToken;
    if (typeof token !== 'string' || !UUID.test(token)) {
      res.redirect(`/services/${service.slug}/${CHECK_ANSWERS}`);
      return;
    }
    const confirmation = (reference: string) => `/services/${service.slug}/confirmation/${reference}`;

    const state = applicationOf(req, service);
    const alreadySent = await findReferenceByToken(deps.db, token);
    if (alreadySent) {
      // Only the session the token was issued to may see the confirmation (a parallel request of the same
      // form may not have seen the first one's session update yet, but holds the same token).
      if (state.submissionToken === token || req.session.submitted?.[alreadySent] === service.slug) {
        rememberSubmitted(req, service, alreadySent);
      }
      res.redirect(303, confirmation(alreadySent));
      return;
    }
    if (!isComplete(service, state) || state.submissionToken !== token) {
      // A stale form (answers changed in another tab since this page was shown): check them again.
      res.redirect(303, `/services/${service.slug}/${CHECK_ANSWERS}`);
      return;
    }
    if (sendLimit) {
      // Only a new application counts: sending the same form again is answered above, without spending.
      const verdict = await sendLimit.consume(req.ip ?? 'unknown');
      if (!verdict.allowed) {
        renderTooMany(res, verdict.retryAfterSeconds, 'errors/too-many-applications', {
          checkAnswersUrl: `/services/${service.slug}/${CHECK_ANSWERS}`,
        });
        return;
      }
    }
    const sent = await submitApplication(
      deps.db,
      service,
      answersToSend(service, state),
      token,
      {
        now: deps.clock(),
        calendar: deps.calendar,
      },
      state.uploadKey,
      req.session.drafts?.[service.slug],
    ).catch(async (err: unknown) => {
      if (!(err instanceof MissingUploadError)) throw err;
      // Files uploaded too long ago to be kept (a journey left for a day): nothing was sent. The lost files leave
      // the answers, so the journey goes back to their page to upload them again.
      req.log?.warn({ event: 'uploads-missing', missing: err.missing }, 'uploaded files no longer stored');
      await dropMissingUploads(deps, req, service);
      return undefined;
    });
    if (!sent) {
      res.redirect(303, `/services/${service.slug}/${CHECK_ANSWERS}`);
      return;
    }
    const { reference, created } = sent;
    if (created) req.log?.info({ service: service.slug, event: 'submitted' }, 'application submitted');
    rememberSubmitted(req, service, reference);
    await saveSession(req);
    res.redirect(303, confirmation(reference));
  };
}
