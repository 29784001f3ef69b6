import type { Request, Response } from 'express';
import { ukDate } from '../clock';
import { CHECK_ANSWERS, type QuestionPage, type ServiceDefinition } from '../definitions/types';
import { canVisit, completePage, findPage, isComplete, walk, type JourneyState } from '../journey/journey';
import { pageFields, rawFromAnswers, readPage, validatePage } from '../questions/page';
import type { FieldError, FieldView, RawInput } from '../questions/question-type';
import { applicationOf, saveApplication, type ApplicationState } from './application-state';
import { showAlreadySent } from './already-sent';
import { asksTheSubject, pageAsAsked } from '../definitions/wording';
import type { ApplyDeps } from './deps';
import { stringField } from '../questions/question-type';
import { countOnce, countStarted } from './journey-counting';
import type { RateLimit } from '../middleware/rate-limit';
import { saveSession } from '../middleware/session';
import { serviceOf } from './service-param';
import { answerUploadPage, isUploadPage, uploadView, type UploadPage } from './upload-page';
import type { AnswerValue } from '../definitions/types';

const pageUrl = (service: ServiceDefinition, pageId: string) => `/services/${service.slug}/${pageId}`;

/** Where "Back" goes: the previous page that applies, check answers when changing, or the start page. */
function backHref(
  service: ServiceDefinition,
  state: ApplicationState,
  page: QuestionPage,
  changing: boolean,
): string {
  if (changing) return pageUrl(service, CHECK_ANSWERS);
  const { path } = walk(service, state);
  const index = path.findIndex((p) => p.id === page.id);
  const previous = index === -1 ? path[path.length - 1] : path[index - 1];
  return previous ? pageUrl(service, previous.id) : `/services/${service.slug}`;
}

function render(
  deps: ApplyDeps,
  req: Request,
  res: Response,
  page: QuestionPage,
  raw: RawInput,
  errors: readonly FieldError[],
) {
  const service = serviceOf(res);
  const renderNested = (view: FieldView) => deps.views.render('apply/nested-field.njk', { view });
  const changing = req.query.change === 'true';
  const back = backHref(service, applicationOf(req, service), page, changing);
  // Every question page says which service it belongs to: the page's own caption, or the service's name.
  const shown = { ...page, caption: page.caption ?? service.title };
  if (isUploadPage(page)) {
    // Never cached: the list of files is this journey's own.
    res.status(errors.length > 0 ? 422 : 200).render('apply/upload-page', {
      service,
      page: shown,
      pageTitle: page.title ?? page.questions[0].label,
      question: page.questions[0],
      upload: uploadView(req, page, service),
      field: pageFields(shown, {}, errors, renderNested)[0],
      errorList: errors.map((e) => ({ text: e.text, href: `#${e.fieldId}` })),
      backHref: back,
    });
    return;
  }
  const view = () => ({
    service,
    page: shown,
    pageTitle: page.title ?? page.questions[0]?.label,
    fields: pageFields(shown, raw, errors, renderNested),
    errorList: errors.map((e) => ({ text: e.text, href: `#${e.fieldId}` })),
    backHref: back,
  });
  // A page not answered yet, without errors, is the same for everyone who reaches it the same way: the same
  // service and page, the same way back (which depends only on the path through the service), whether it was
  // opened to change an answer, and the same session warning (which depends only on the address, so only plain
  // addresses are cached). The session's CSRF token and the nonce are put in for each response (page cache).
  const queryKeys = Object.keys(req.query).length;
  const plainAddress = queryKeys === 0 || (queryKeys === 1 && changing);
  if (errors.length === 0 && Object.keys(raw).length === 0 && plainAddress) {
    const timeoutWarning: unknown = res.locals.timeoutWarning;
    // The wording (third person, or "your" when applying for yourself) is part of the page.
    const key = [
      'question',
      service.slug,
      page.id,
      changing,
      back,
      JSON.stringify(timeoutWarning ?? null),
      asksTheSubject(service, applicationOf(req, service).answers),
    ];
    deps.pages.send(
      res,
      key.join('\n'),
      'apply/question-page',
      () => ({ ...view(), timeoutWarning }),
      service,
    );
    return;
  }
  res.status(errors.length > 0 ? 422 : 200).render('apply/question-page', view());
}

/**
 * The page as asked (its wording follows the answers so far: see src/definitions/wording.ts), or a redirect to
 * the first page still to answer when this one cannot be visited yet.
 */
function pageOrRedirect(req: Request, res: Response): QuestionPage | undefined {
  const service = serviceOf(res);
  const found = findPage(service, String(req.params.page));
  const page = found && pageAsAsked(service, found, applicationOf(req, service).answers);
  if (!page) {
    res.status(404).render('errors/not-found');
    return undefined;
  }
  const state = applicationOf(req, service);
  if (!canVisit(service, state, page.id)) {
    const { next } = walk(service, state);
    res.redirect(pageUrl(service, next ? next.id : CHECK_ANSWERS));
    return undefined;
  }
  return page;
}

/** A change from check answers continues from the answers on check answers, the working ones on top. */
function withCheckpoint(state: ApplicationState): JourneyState {
  const { checkpoint } = state;
  if (!checkpoint) return state;
  return {
    answers: { ...checkpoint.answers, ...state.answers },
    completed: [...new Set([...checkpoint.completed, ...state.completed])],
  };
}

/** GET /services/:service/:page — reaching it in a session that holds the application counts the journey started. */
export function showQuestionPage(deps: ApplyDeps, startLimit?: RateLimit) {
  return async (req: Request, res: Response) => {
    if (showAlreadySent(req, res)) return;
    const page = pageOrRedirect(req, res);
    if (!page) return;
    const service = serviceOf(res);
    const state = applicationOf(req, service);
    if (Object.hasOwn(req.session.applications ?? {}, service.slug)) {
      const counted = await countStarted(deps, req, service, state.counted ?? [], startLimit);
      if (saveApplication(req, service, { ...state, counted })) await saveSession(req);
    }
    render(deps, req, res, page, rawFromAnswers(page, state.answers), []);
  };
}

/** POST /services/:service/:page — validate; on errors re-render with 422 and the input kept; else move on. */
export function answerQuestionPage(deps: ApplyDeps, startLimit?: RateLimit) {
  return async (req: Request, res: Response) => {
    const page = pageOrRedirect(req, res);
    if (!page) return;
    if (isUploadPage(page)) {
      await answerUploadPage(deps, req, res, page, {
        render: (rq, rs, p, errors) => render(deps, rq, rs, p, {}, errors),
        moveOn: (rq, rs, p: UploadPage, answers) => moveOn(deps, rq, rs, p, answers, startLimit),
      });
      return;
    }
    const raw = readPage(page, req.body ?? {});
    const result = validatePage(page, raw, { today: ukDate(deps.clock()) });
    // "Save and come back later": the page's answers are kept when they are valid; when they are not, the
    // page stays unanswered (it is where the citizen will continue) and the rest is saved.
    const savingForLater = stringField(req.body ?? {}, 'saveForLater') === 'yes';
    if (!result.ok) {
      if (savingForLater) res.redirect(303, `/services/${serviceOf(res).slug}/save`);
      else render(deps, req, res, page, raw, result.errors);
      return;
    }
    await moveOn(deps, req, res, page, result.answers, startLimit, savingForLater);
  };
}

/** The page's answers are valid: keep them, count the journey, and go to the next page or check answers. */
async function moveOn(
  deps: ApplyDeps,
  req: Request,
  res: Response,
  page: QuestionPage,
  answers: Readonly<Record<string, AnswerValue | undefined>>,
  startLimit?: RateLimit,
  savingForLater = false,
): Promise<void> {
  const service = serviceOf(res);
  const before = applicationOf(req, service);
  const changing = req.query.change === 'true';
  // A change from check answers that switches branch keeps the complete answers as a checkpoint until the new
  // branch is complete: nothing is dropped until then, and the change can be cancelled.
  const after = completePage(service, changing ? withCheckpoint(before) : before, page, answers);
  const checkpoint =
    changing && !isComplete(service, after)
      ? (before.checkpoint ??
        (isComplete(service, before) ? { answers: before.answers, completed: before.completed } : undefined))
      : undefined;
  // Answering a page reaches it in a session: the journey has started, if that was not counted yet.
  const started = await countStarted(deps, req, service, before.counted ?? [], startLimit);
  const counted = await countOnce(deps, req, service, page.id, started);
  const changed = saveApplication(req, service, {
    ...after,
    counted,
    submissionToken: undefined,
    checkpoint,
    uploadKey: before.uploadKey,
  });
  if (changed) await saveSession(req);
  if (savingForLater) {
    res.redirect(303, `/services/${service.slug}/save`);
    return;
  }

  // After a change from check answers, go back there unless the change opened a new page to answer.
  const { next } = walk(service, after);
  if (!next || isComplete(service, after)) {
    res.redirect(pageUrl(service, CHECK_ANSWERS));
  } else {
    res.redirect(pageUrl(service, next.id) + (changing ? '?change=true' : ''));
  }
}
