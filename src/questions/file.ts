import type { FileQuestion, UploadedFile } from '../definitions/types';
import { FILE_KINDS, formatSize } from '../uploads/file-content';
import {
  errorFor,
  fail,
  hintParams,
  labelParams,
  message,
  rawString,
  type QuestionTypeModule,
  type RawInput,
} from './question-type';

// A file question's answer is the list of files uploaded so far. Files arrive one at a time on the upload page
// (src/apply/upload-page.ts), which checks, scans and stores each and keeps the list in the session's answers;
// this module never reads files from the form. Its raw input is that server-side list as JSON, put in by the
// upload page: a form field of the same name sent by the browser is ignored (`read` returns nothing).

export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
/** No question may accept larger files than this (the multipart limit is the largest any question accepts). */
export const MAX_FILE_BYTES = 25 * 1024 * 1024;
export const MAX_FILES_PER_QUESTION = 10;

export const minFilesOf = (q: FileQuestion): number => q.minFiles ?? (q.optional ? 0 : 1);
export const maxFilesOf = (q: FileQuestion): number => q.maxFiles ?? 1;
export const maxBytesOf = (q: FileQuestion): number => q.maxBytes ?? DEFAULT_MAX_BYTES;

/** The list kept for a file question, from its raw form (never from the browser). */
export function filesFromRaw(q: FileQuestion, raw: RawInput): UploadedFile[] {
  const json = rawString(raw, q.id);
  if (json === '') return [];
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? (parsed as UploadedFile[]) : [];
  } catch {
    return [];
  }
}

/** "a photo": the question's noun for one of its files, with its article. */
export const fileNounOf = (q: FileQuestion): string => q.fileNoun ?? 'a file';
/** "photo", for "Upload another photo". */
export const bareFileNounOf = (q: FileQuestion): string => fileNounOf(q).replace(/^(a|an) /, '');
/** "Select a photo": Continue with too few files, or "Upload file" with none chosen. */
export const selectFileMessage = (q: FileQuestion): string =>
  message(q, 'required', `Select ${fileNounOf(q)}`);

export const file: QuestionTypeModule<FileQuestion, readonly UploadedFile[]> = {
  read: () => ({}),
  parse(q, raw) {
    const files = filesFromRaw(q, raw);
    const min = minFilesOf(q);
    if (files.length === 0 && min > 0) {
      return fail(q, q.id, selectFileMessage(q));
    }
    if (files.length < min) {
      return fail(q, q.id, message(q, 'tooFew', `Upload at least ${min} files`));
    }
    if (files.length === 0) return { ok: true, value: undefined };
    return { ok: true, value: files };
  },
  toRaw: (q, value) => ({ [q.id]: JSON.stringify(value) }),
  view: (q, _raw, errors, context) => ({
    component: 'file-upload',
    params: {
      id: q.id,
      name: q.id,
      label: labelParams(q, context),
      hint: hintParams(q),
      errorMessage: errorFor(errors, q.id),
      attributes: { accept: q.accept.map((k) => `.${k},${FILE_KINDS[k].mediaType}`).join(',') },
    },
  }),
  display: (_q, value) => value.map((f) => `${f.name} (${FILE_KINDS[f.kind].label}, ${formatSize(f.size)})`),
};
