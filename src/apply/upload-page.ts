import crypto from 'node:crypto';
import type { Request, Response } from 'express';
import type { FileQuestion, QuestionPage, ServiceDefinition, UploadedFile } from '../definitions/types';
import { bareFileNounOf, file, maxBytesOf, maxFilesOf, selectFileMessage } from '../questions/file';
import { stringField, type FieldError } from '../questions/question-type';
import { saveSession } from '../middleware/session';
import { FILE_KINDS, formatSize } from '../uploads/file-content';
import { takeIn } from '../uploads/intake';
import { deleteUnsentUpload, journeyUsage, storeUpload, unsentUploadIds } from '../uploads/upload-repository';
import { applicationOf, saveApplication, type ApplicationState } from './application-state';
import type { ApplyDeps } from './deps';
import { serviceOf } from './service-param';
import { REPLY_FILE_RULES, REPLY_PATH } from './status';
import type { ServiceRegistry } from '../definitions/registry';
import type { MultipartRoutes } from '../middleware/body-parsing';

// A page with a file question (the GOV.UK file upload component and the multiple files pattern): the citizen
// uploads one file at a time with "Upload file", or chooses one and presses Continue; the files uploaded so far
// are listed with a Remove button each; Continue checks there are enough. Each file is checked by its content,
// scanned for viruses and only then stored (src/uploads); the list is kept in the session's answers.

export type UploadPage = QuestionPage & Readonly<{ questions: readonly [FileQuestion] }>;

export const isUploadPage = (page: QuestionPage): page is UploadPage =>
  page.questions.length === 1 && page.questions[0]!.type === 'file';

declare module 'express-session' {
  interface SessionData {
    /** Said once on the next page shown: "photo.jpg has been uploaded" (a success banner). */
    uploadNotice?: string;
  }
}

export const filesOf = (state: ApplicationState, q: FileQuestion): readonly UploadedFile[] => {
  const value = state.answers[q.id];
  return Array.isArray(value) ? (value as readonly UploadedFile[]) : [];
};

export type UploadView = Readonly<{
  files: readonly (UploadedFile & { description: string })[];
  canAddMore: boolean;
  maxFiles: number;
  fileNoun: string;
  notice?: string;
}>;

export function uploadView(req: Request, page: UploadPage, service: ServiceDefinition): UploadView {
  const q = page.questions[0];
  const files = filesOf(applicationOf(req, service), q);
  const notice = req.session.uploadNotice;
  if (notice !== undefined) delete req.session.uploadNotice;
  return {
    files: files.map((f) => ({ ...f, description: `${FILE_KINDS[f.kind].label}, ${formatSize(f.size)}` })),
    canAddMore: files.length < maxFilesOf(q),
    maxFiles: maxFilesOf(q),
    fileNoun: bareFileNounOf(q),
    notice,
  };
}

/** Keeps the new list as the question's answer; the page must be continued again before the journey goes on. */
function keepFiles(
  req: Request,
  service: ServiceDefinition,
  page: UploadPage,
  files: readonly UploadedFile[],
  key: string,
) {
  const state = applicationOf(req, service);
  const answers = { ...state.answers };
  if (files.length > 0) answers[page.questions[0].id] = files;
  else delete answers[page.questions[0].id];
  saveApplication(req, service, {
    ...state,
    answers,
    completed: state.completed.filter((id) => id !== page.id),
    uploadKey: key,
    submissionToken: undefined,
  });
}

type Outcome =
  | Readonly<{ kind: 'stored'; file: UploadedFile }>
  | Readonly<{ kind: 'refused'; error: FieldError }>
  | Readonly<{ kind: 'scanner-unavailable' }>;

/** Checks, scans and stores the file that came with the form. Nothing is stored unless every check passed. */
async function receive(
  deps: ApplyDeps,
  req: Request,
  q: FileQuestion,
  files: readonly UploadedFile[],
  journeyKey: string,
): Promise<Outcome> {
  const refuse = (text: string): Outcome => ({
    kind: 'refused',
    error: { questionId: q.id, fieldId: q.id, text },
  });
  if (files.length >= maxFilesOf(q)) {
    return refuse(
      maxFilesOf(q) === 1
        ? `You can only upload 1 ${bareFileNounOf(q)} – remove the one you uploaded first`
        : `You can only upload ${maxFilesOf(q)} files`,
    );
  }
  // The journey's quota first: a cheap query, before the scan and the re-encoding.
  const usage = await journeyUsage(deps.db, journeyKey);
  if (
    usage.files >= deps.config.uploads.journeyMaxFiles ||
    usage.bytes + req.receivedFile!.content.length > deps.config.uploads.journeyMaxBytes
  ) {
    return refuse(
      'You have uploaded as many files as one application can hold – remove a file to upload another',
    );
  }
  const taken = await takeIn(
    req.receivedFile!,
    { accept: q.accept, maxBytes: maxBytesOf(q) },
    deps.scanner,
    req.log,
  );
  if (!taken.ok)
    return 'scannerUnavailable' in taken ? { kind: 'scanner-unavailable' } : refuse(taken.message);
  const stored = await storeUpload(deps.db, {
    journeyKey,
    questionId: q.id,
    name: taken.name,
    kind: taken.kind,
    content: taken.content,
    now: deps.clock(),
  });
  return { kind: 'stored', file: stored };
}

export type UploadHandlers = Readonly<{
  render: (req: Request, res: Response, page: UploadPage, errors: readonly FieldError[]) => void;
  /** The page is answered: on to the next page or check answers, as any question page. */
  moveOn: (
    req: Request,
    res: Response,
    page: UploadPage,
    answers: Record<string, readonly UploadedFile[] | undefined>,
  ) => Promise<void>;
}>;

/** POST of an upload page: remove a file, upload one, or continue. */
export async function answerUploadPage(
  deps: ApplyDeps,
  req: Request,
  res: Response,
  page: UploadPage,
  handlers: UploadHandlers,
): Promise<void> {
  const service = serviceOf(res);
  const q = page.questions[0];
  const state = applicationOf(req, service);
  const journeyKey = state.uploadKey ?? crypto.randomBytes(24).toString('base64url');
  let files = filesOf(state, q);
  const body = (req.body ?? {}) as Record<string, unknown>;
  const here = `/services/${service.slug}/${page.id}${req.query.change === 'true' ? '?change=true' : ''}`;

  const remove = stringField(body, 'remove');
  if (remove !== '') {
    const removed = files.find((f) => f.id === remove);
    if (removed) {
      await deleteUnsentUpload(deps.db, journeyKey, remove);
      keepFiles(
        req,
        service,
        page,
        files.filter((f) => f !== removed),
        journeyKey,
      );
      req.session.uploadNotice = `${removed.name} has been removed`;
      await saveSession(req);
    }
    res.redirect(303, here);
    return;
  }

  if (req.receivedFile) {
    const outcome = await receive(deps, req, q, files, journeyKey);
    if (outcome.kind === 'scanner-unavailable') {
      res.status(503).set('Retry-After', '60').render('errors/upload-unavailable', { backHref: here });
      return;
    }
    if (outcome.kind === 'refused') {
      handlers.render(req, res, page, [outcome.error]);
      return;
    }
    files = [...files, outcome.file];
    keepFiles(req, service, page, files, journeyKey);
    if (stringField(body, 'action') !== 'continue') {
      req.session.uploadNotice = `${outcome.file.name} has been uploaded`;
      await saveSession(req);
      res.redirect(303, here);
      return;
    }
  } else if (stringField(body, 'action') === 'upload') {
    handlers.render(req, res, page, [{ questionId: q.id, fieldId: q.id, text: selectFileMessage(q) }]);
    return;
  }

  // Continue: enough files?
  const result = file.parse(q, file.toRaw(q, files), { today: '' });
  if (!result.ok) {
    handlers.render(req, res, page, result.errors);
    return;
  }
  await handlers.moveOn(req, res, page, { [q.id]: result.value });
}

/** The routes that take a file: the upload pages' own addresses (src/middleware/body-parsing.ts). */
export function uploadRoutes(registry: ServiceRegistry): MultipartRoutes {
  const paths = new Set<string>();
  let maxFileBytes = 1;
  for (const service of registry.services) {
    for (const page of service.pages) {
      if (!isUploadPage(page)) continue;
      paths.add(`/services/${service.slug}/${page.id}`);
      maxFileBytes = Math.max(maxFileBytes, maxBytesOf(page.questions[0]));
    }
  }
  // A reply to a request for more information may carry one file too (status.ts).
  paths.add(REPLY_PATH);
  maxFileBytes = Math.max(maxFileBytes, REPLY_FILE_RULES.maxBytes);
  return { accepts: (req) => paths.has(req.path), maxFileBytes };
}

/** Takes files that are no longer stored out of the answers; their pages must be answered again. */
export async function dropMissingUploads(
  deps: ApplyDeps,
  req: Request,
  service: ServiceDefinition,
): Promise<void> {
  const state = applicationOf(req, service);
  const key = state.uploadKey ?? '';
  for (const page of service.pages) {
    if (!isUploadPage(page)) continue;
    const files = filesOf(applicationOf(req, service), page.questions[0]);
    const stored = await unsentUploadIds(
      deps.db,
      key,
      files.map((f) => f.id),
    );
    if (stored.size < files.length)
      keepFiles(
        req,
        service,
        page,
        files.filter((f) => stored.has(f.id)),
        key,
      );
  }
  await saveSession(req);
}
