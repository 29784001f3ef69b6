import { Router } from 'express';
import { createEmailFormLimits, createRateLimit } from '../middleware/rate-limit';
import { acceptOnly, field, formWith } from '../middleware/form-fields';
import type { ApplyDeps } from './deps';
import { loadService } from './service-param';
import { showStartPage, startJourney } from './start';
import { answerQuestionPage, showQuestionPage } from './question-page';
import { SEND_LIMIT_WINDOW_SECONDS, showCheckAnswers, submit } from './check-answers';
import { showConfirmation } from './confirmation';
import { FEEDBACK_LIMIT, sendFeedback, showFeedback, showFeedbackThanks } from './feedback';
import { JOURNEY_START_LIMIT } from './journey-counting';
import { SAVE_LIMITS, setUpSaveAndReturn } from './save-and-return';
import { DRAFT_LINK_PATH } from '../drafts/draft-link';
import { warnBeforeAnswersTimeOut } from '../timeout/timeout-warning';
import {
  checkStatus,
  openStatusLink,
  REPLY_PATH,
  replyToRequest,
  showApplication,
  showStatusForm,
} from './status';
import { createStatusLinkSigner, STATUS_LINK_PATH } from '../notifications/status-link';
import {
  LOST_REFERENCE_LIMITS,
  sendLostReference,
  showLostReferenceForm,
  showLostReferenceSent,
} from './lost-reference';

/** The citizen's journey through a service: /services/:service/... and the status check. */
export function setUpApply(deps: ApplyDeps): Router {
  const router = Router();
  router.param('service', loadService(deps.registry));

  // Public figures (issue 13): journeys started and survey answers counted per client are limited, in the shared
  // database, so one address cannot inflate them (journey-counting.ts, feedback.ts).
  const startLimit = createRateLimit(deps.db, {
    keyPrefix: 'journey-start-ip',
    points: JOURNEY_START_LIMIT.points,
    durationSeconds: JOURNEY_START_LIMIT.durationSeconds,
  });
  const feedbackLimit = createRateLimit(deps.db, {
    keyPrefix: 'feedback-ip',
    points: FEEDBACK_LIMIT.points,
    durationSeconds: FEEDBACK_LIMIT.durationSeconds,
  });

  router.get('/services/:service', showStartPage(deps));
  router.get('/services/:service/start', startJourney(deps));
  // Question pages and check answers warn before the answers in the session time out.
  router.all(
    ['/services/:service/check-answers', '/services/:service/:page'],
    warnBeforeAnswersTimeOut(deps.config),
  );
  router.get('/services/:service/check-answers', showCheckAnswers(deps));
  // docs/security.md#r1: new applications per client, counted in the shared database (all instances), so one
  // address cannot flood the queue. Generous: many people can share one address (an office, a mobile network).
  const sendLimit =
    deps.config.submitLimitPerClient > 0
      ? createRateLimit(deps.db, {
          keyPrefix: 'submit-ip',
          points: deps.config.submitLimitPerClient,
          durationSeconds: SEND_LIMIT_WINDOW_SECONDS,
        })
      : undefined;
  router.post(
    '/services/:service/check-answers',
    acceptOnly(formWith({ submissionToken: field })),
    submit(deps, sendLimit),
  );
  router.get('/services/:service/confirmation/:reference', showConfirmation(deps));
  // Save and come back later (save-and-return.ts): saves per client and emails per address are limited.
  const saving = setUpSaveAndReturn(deps, createEmailFormLimits(deps.db, 'draft-save', SAVE_LIMITS));
  router.get('/services/:service/save', saving.showSaveForm);
  router.post('/services/:service/save', acceptOnly(formWith({ email: field })), saving.save);
  router.get('/services/:service/saved', saving.showSaved);
  router.get('/services/:service/continue', saving.showRestored);
  router.get('/continue', saving.showNewLinkForm);
  router.post('/continue', acceptOnly(formWith({ email: field })), saving.sendNewLinks);
  router.get('/continue/sent', saving.showNewLinksSent);
  router.get(`${DRAFT_LINK_PATH}/:token`, saving.followLink);
  router.get('/services/:service/feedback', showFeedback(deps));
  router.post(
    '/services/:service/feedback',
    acceptOnly(formWith({ rating: field, comment: field })),
    sendFeedback(deps, feedbackLimit),
  );
  router.get('/services/:service/feedback/thank-you', showFeedbackThanks(deps));
  router.get('/services/:service/:page', showQuestionPage(deps, startLimit));
  // Question pages read only the fields of their own questions (question-page.ts); anything else is ignored.
  router.post('/services/:service/:page', answerQuestionPage(deps, startLimit));

  // Wrong status checks: 20 per client address and 5 per reference from one address in 15 minutes. Never per
  // reference alone: that would let anyone holding a reference lock its owner out.
  const limits = {
    perClient: createRateLimit(deps.db, { keyPrefix: 'status-ip', points: 20, durationSeconds: 15 * 60 }),
    perReferenceAndClient: createRateLimit(deps.db, {
      keyPrefix: 'status-ref-ip',
      points: 5,
      durationSeconds: 15 * 60,
    }),
  };
  router.get('/check-status', showStatusForm());
  router.post(
    '/check-status',
    acceptOnly(formWith({ reference: field, proof: field })),
    checkStatus(deps, limits),
  );
  // "I have lost my reference": limited per client address (429 page) and per email address (same page, nothing
  // sent), so it cannot be used to flood someone's inbox (lost-reference.ts).
  const lostReferenceLimits = createEmailFormLimits(deps.db, 'lost-ref', LOST_REFERENCE_LIMITS);
  // The signed link in a request for more information (docs/notifications.md#the-link-to-the-status-page).
  const statusLinks = createStatusLinkSigner(
    deps.config.session.secret,
    deps.config.notifications.statusLinkDays,
  );
  router.get(`${STATUS_LINK_PATH}/:token`, openStatusLink(deps, statusLinks, limits.perClient));
  router.get('/check-status/lost-reference', showLostReferenceForm());
  router.post(
    '/check-status/lost-reference',
    acceptOnly(formWith({ email: field })),
    sendLostReference(deps, lostReferenceLimits),
  );
  router.get('/check-status/lost-reference/sent', showLostReferenceSent());
  router.get('/check-status/your-application', showApplication(deps));
  router.post(REPLY_PATH, acceptOnly(formWith({ reply: field })), replyToRequest(deps));
  return router;
}
