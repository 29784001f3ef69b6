import fs from 'node:fs';
import path from 'node:path';
import { QUESTION_TYPES } from '../questions';
import {
  MAX_FILE_BYTES,
  MAX_FILES_PER_QUESTION,
  maxBytesOf,
  maxFilesOf,
  minFilesOf,
} from '../questions/file';
import {
  CHECK_ANSWERS,
  TOPICS,
  type FileQuestion,
  type Question,
  type QuestionPage,
  type ServiceDefinition,
} from './types';

export class DefinitionError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid service definitions:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'DefinitionError';
  }
}

export type ServiceRegistry = Readonly<{
  services: readonly ServiceDefinition[];
  find(slug: string): ServiceDefinition | undefined;
}>;

const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const CAMEL = /^[a-z][a-zA-Z0-9]{0,62}$/;
// Page ids share the URL space /services/<slug>/<page> with these routes.
const RESERVED_PAGE_IDS = new Set([
  CHECK_ANSWERS,
  'confirmation',
  'feedback',
  'start',
  'submit',
  // save and come back later (src/apply/save-and-return.ts)
  'save',
  'saved',
  'continue',
]);
const STATUS_CHECK_TYPES = new Set(['email', 'phone']);

/** The targets a page can lead to: its declared `next`, a Branch's `to`, or the following page. */
export function nextTargets(definition: ServiceDefinition, index: number): readonly string[] {
  const page = definition.pages[index]!;
  if (typeof page.next === 'string') return [page.next];
  if (page.next) return page.next.to;
  return [definition.pages[index + 1]?.id ?? CHECK_ANSWERS];
}

function allQuestions(page: QuestionPage): Question[] {
  return page.questions.flatMap((q) => [
    q,
    ...('options' in q ? q.options.flatMap((o) => (o.conditional ? [o.conditional] : [])) : []),
  ]);
}

/** The upload page shows one file question and its list (src/apply/upload-page.ts): the rules it relies on. */
function checkFileQuestion(q: FileQuestion, page: QuestionPage): string[] {
  const problems: string[] = [];
  if (!page.questions.includes(q)) problems.push('a file question cannot be a follow-up question');
  if (page.questions.length > 1) problems.push('a file question must be the only question on its page');
  if (q.accept.length === 0) problems.push('a file question must accept at least one kind of file');
  const max = maxFilesOf(q);
  const min = minFilesOf(q);
  if (!Number.isInteger(max) || max < 1 || max > MAX_FILES_PER_QUESTION)
    problems.push(`maxFiles must be from 1 to ${MAX_FILES_PER_QUESTION}`);
  if (!Number.isInteger(min) || min < 0 || min > max) problems.push('minFiles must be from 0 to maxFiles');
  if (q.optional && min > 0) problems.push('an optional file question cannot need files');
  if (!Number.isInteger(maxBytesOf(q)) || maxBytesOf(q) < 1 || maxBytesOf(q) > MAX_FILE_BYTES)
    problems.push(`maxBytes must be from 1 to ${MAX_FILE_BYTES}`);
  return problems;
}

/** Every problem with one definition, each naming the service and, where it applies, the page and question. */
export function checkDefinition(d: ServiceDefinition): string[] {
  const problems: string[] = [];
  const at = (page?: string, question?: string) =>
    `service "${d.slug}"${page ? `, page "${page}"` : ''}${question ? `, question "${question}"` : ''}`;

  if (!KEBAB.test(d.slug)) problems.push(`${at()}: slug must be kebab-case`);
  if (!Number.isInteger(d.version) || d.version < 1)
    problems.push(`${at()}: version must be a positive whole number`);
  if (!Number.isInteger(d.processingTargetWorkingDays) || d.processingTargetWorkingDays < 1) {
    problems.push(`${at()}: processingTargetWorkingDays must be a positive whole number`);
  }
  const reminder = d.reminderAfterWorkingDays;
  if (reminder !== undefined && (!Number.isInteger(reminder) || reminder < 1 || reminder > 60)) {
    problems.push(`${at()}: reminderAfterWorkingDays must be a whole number from 1 to 60`);
  }
  for (const topic of d.topics) {
    if (!(TOPICS as readonly string[]).includes(topic)) problems.push(`${at()}: unknown topic "${topic}"`);
  }
  if (d.topics.length === 0) problems.push(`${at()}: needs at least one topic`);
  if (d.pages.length === 0) problems.push(`${at()}: has no pages`);

  const pageIds = new Set<string>();
  const questionIds = new Map<string, string>();
  d.pages.forEach((page) => {
    if (!KEBAB.test(page.id)) problems.push(`${at(page.id)}: page id must be kebab-case`);
    if (RESERVED_PAGE_IDS.has(page.id))
      problems.push(`${at(page.id)}: "${page.id}" is reserved for the engine`);
    if (pageIds.has(page.id)) problems.push(`${at(page.id)}: duplicate page id`);
    pageIds.add(page.id);
    if (page.questions.length === 0) problems.push(`${at(page.id)}: has no questions`);
    if (page.questions.length > 1 && !page.title)
      problems.push(`${at(page.id)}: a page with several questions needs a title`);

    for (const q of allQuestions(page)) {
      if (!Object.hasOwn(QUESTION_TYPES, q.type))
        problems.push(`${at(page.id, q.id)}: unknown question type "${q.type}"`);
      if (!CAMEL.test(q.id)) problems.push(`${at(page.id, q.id)}: question id must be camelCase`);
      // Answers are plain objects keyed by question id: an unanswered "constructor" would read Object.prototype's.
      if (CAMEL.test(q.id) && q.id in Object.prototype)
        problems.push(`${at(page.id, q.id)}: question id "${q.id}" is a built-in object property`);
      const seenOn = questionIds.get(q.id);
      if (seenOn) problems.push(`${at(page.id, q.id)}: duplicate question id (also on page "${seenOn}")`);
      questionIds.set(q.id, page.id);
      if (!q.label.trim() || !q.name.trim()) problems.push(`${at(page.id, q.id)}: needs a label and a name`);
      if ('options' in q) {
        const values = q.options.map((o) => o.value);
        if (q.options.length === 0) problems.push(`${at(page.id, q.id)}: needs at least one option`);
        if (new Set(values).size !== values.length)
          problems.push(`${at(page.id, q.id)}: duplicate option values`);
        if (q.type === 'checkboxes' && q.options.some((o) => o.conditional)) {
          problems.push(`${at(page.id, q.id)}: conditional follow-up questions are supported on radios only`);
        }
        // The engine reads, validates and shows one level of follow-ups; a deeper one would never be asked,
        // and these checks would not see it.
        if (!page.questions.includes(q) && q.options.some((o) => o.conditional)) {
          problems.push(
            `${at(page.id, q.id)}: a follow-up question cannot have follow-up questions of its own`,
          );
        }
      }
      if (q.type === 'file')
        problems.push(...checkFileQuestion(q, page).map((p) => `${at(page.id, q.id)}: ${p}`));
    }
  });

  // Every next target exists, and every page is reachable from the first without a loop.
  const indexOf = new Map(d.pages.map((p, i) => [p.id, i]));
  d.pages.forEach((page, i) => {
    // A branch to nowhere is a dead end: the journey could never reach check answers.
    if (nextTargets(d, i).length === 0) problems.push(`${at(page.id)}: branch "to" lists no pages`);
    for (const target of nextTargets(d, i)) {
      if (target !== CHECK_ANSWERS && !indexOf.has(target)) {
        problems.push(`${at(page.id)}: next target "${target}" does not exist`);
      }
    }
  });
  const reached = new Set<string>();
  const onStack = new Set<string>();
  const visit = (id: string) => {
    if (id === CHECK_ANSWERS || !indexOf.has(id)) return;
    if (onStack.has(id)) {
      problems.push(`${at(id)}: is part of a loop; journeys must always move forward`);
      return;
    }
    if (reached.has(id)) return;
    reached.add(id);
    onStack.add(id);
    nextTargets(d, indexOf.get(id)!).forEach(visit);
    onStack.delete(id);
  };
  if (d.pages[0]) visit(d.pages[0].id);
  for (const page of d.pages) {
    if (!reached.has(page.id)) problems.push(`${at(page.id)}: is unreachable from the first page`);
  }

  // Check your answers shows every page exactly once.
  const shown = d.checkAnswers.sections.flatMap((s) => s.pages);
  for (const id of shown)
    if (!indexOf.has(id)) problems.push(`${at()}: check answers section lists unknown page "${id}"`);
  for (const page of d.pages) {
    const count = shown.filter((id) => id === page.id).length;
    if (count !== 1)
      problems.push(`${at(page.id)}: must appear in exactly one check answers section (found ${count})`);
  }

  // The status check's second factor: the applicant's own email address or phone number (types.ts).
  const statusQuestions: { id: string; page: string; question: Question }[] = [];
  if (d.statusCheckQuestions.length === 0)
    problems.push(`${at()}: statusCheckQuestions must name the applicant's email or phone question`);
  for (const id of d.statusCheckQuestions) {
    const page = d.pages.find((p) => p.questions.some((q) => q.id === id));
    const question = page?.questions.find((q) => q.id === id);
    if (!page || !question || !STATUS_CHECK_TYPES.has(question.type)) {
      problems.push(`${at()}: statusCheckQuestions "${id}" must be a top-level email or phone question`);
    } else if (statusQuestions.some((s) => s.question.type === question.type)) {
      problems.push(`${at()}: statusCheckQuestions names more than one ${question.type} question ("${id}")`);
    } else statusQuestions.push({ id, page: page.id, question });
  }
  // Every applicant must give one, whichever branch they take: with the pages that ask a required one removed,
  // check answers must be unreachable from the first page.
  const requiredPages = new Set(statusQuestions.filter((s) => !s.question.optional).map((s) => s.page));
  if (statusQuestions.length > 0 && d.pages[0]) {
    const visited = new Set(requiredPages);
    const stack = [d.pages[0].id];
    let skippable = false;
    while (stack.length > 0 && !skippable) {
      const id = stack.pop()!;
      if (id === CHECK_ANSWERS) skippable = true;
      else if (!visited.has(id) && indexOf.has(id)) {
        visited.add(id);
        stack.push(...nextTargets(d, indexOf.get(id)!));
      }
    }
    if (skippable) {
      const asked =
        requiredPages.size > 0
          ? ` (pages ${[...requiredPages].map((p) => `"${p}"`).join(', ')} can be skipped)`
          : '';
      problems.push(
        `${at()}: statusCheckQuestions: a required one must be answered on every path to check answers${asked}`,
      );
    }
  }
  return problems;
}

export function createRegistry(definitions: readonly ServiceDefinition[]): ServiceRegistry {
  const problems = definitions.flatMap(checkDefinition);
  const seen = new Set<string>();
  for (const d of definitions) {
    if (seen.has(d.slug)) problems.push(`service "${d.slug}": duplicate slug`);
    seen.add(d.slug);
  }
  if (problems.length > 0) throw new DefinitionError(problems);
  const bySlug = new Map(definitions.map((d) => [d.slug, d]));
  const services = [...definitions].sort((a, b) => a.title.localeCompare(b.title));
  return Object.freeze({ services, find: (slug: string) => bySlug.get(slug) });
}

const SERVICES_DIR = path.join(__dirname, 'services');

/** Every file in src/definitions/services exports one definition as its default export. */
export function loadServiceDefinitions(dir = SERVICES_DIR): ServiceDefinition[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^[a-z0-9-]+\.(ts|js)$/.test(f) && !f.endsWith('.d.ts'))
    .sort()
    .map((f) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- one file per service, found by listing the folder
      const mod = require(path.join(dir, f)) as { default?: ServiceDefinition };
      if (!mod.default) throw new DefinitionError([`${f}: has no default export`]);
      return mod.default;
    });
}
