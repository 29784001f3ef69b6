import {
  CHECK_ANSWERS,
  type AnswerValue,
  type Answers,
  type QuestionPage,
  type ServiceDefinition,
} from '../definitions/types';

/** What the session holds for one service while the citizen answers it. */
export type JourneyState = Readonly<{
  answers: Readonly<Record<string, AnswerValue>>;
  /** Pages the citizen has sent with valid answers (an optional page can be complete with no answers). */
  completed: readonly string[];
}>;

export const emptyJourney: JourneyState = { answers: {}, completed: [] };

export type Walk = Readonly<{
  /** Completed pages that apply, in order. */
  path: readonly QuestionPage[];
  /** The first page that applies and is not yet complete; undefined when the journey reaches check answers. */
  next?: QuestionPage;
}>;

export function findPage(definition: ServiceDefinition, pageId: string): QuestionPage | undefined {
  return definition.pages.find((p) => p.id === pageId);
}

/** Where a completed page leads, given the answers so far. */
export function nextPageId(definition: ServiceDefinition, page: QuestionPage, answers: Answers): string {
  if (typeof page.next === 'string') return page.next;
  if (page.next) {
    const target = page.next.choose(answers);
    if (!page.next.to.includes(target)) {
      throw new Error(
        `service "${definition.slug}", page "${page.id}": branch chose "${target}", which is not in its "to" list`,
      );
    }
    return target;
  }
  const index = definition.pages.indexOf(page);
  return definition.pages[index + 1]?.id ?? CHECK_ANSWERS;
}

/**
 * The journey is derived, never stored: from the first page, follow each completed page's `next` with the
 * answers given. The pages met on the way are the ones that apply; the first incomplete one is where the
 * citizen goes next. The registry guarantees there are no loops.
 */
export function walk(definition: ServiceDefinition, state: JourneyState): Walk {
  const path: QuestionPage[] = [];
  let page = definition.pages[0];
  while (page) {
    if (!state.completed.includes(page.id)) return { path, next: page };
    path.push(page);
    const target = nextPageId(definition, page, state.answers);
    if (target === CHECK_ANSWERS) return { path };
    page = findPage(definition, target);
  }
  return { path };
}

export const isComplete = (definition: ServiceDefinition, state: JourneyState): boolean =>
  walk(definition, state).next === undefined;

/** A page can be visited if it applies and is complete, or is the next one to answer. No skipping ahead. */
export function canVisit(definition: ServiceDefinition, state: JourneyState, pageId: string): boolean {
  const { path, next } = walk(definition, state);
  return next?.id === pageId || path.some((p) => p.id === pageId);
}

/** The question ids a page may hold answers for, including radios' conditional follow-ups. */
export function questionIdsOf(page: QuestionPage): string[] {
  return page.questions.flatMap((q) => [
    q.id,
    ...('options' in q ? q.options.flatMap((o) => (o.conditional ? [o.conditional.id] : [])) : []),
  ]);
}

/** Record a page's valid answers, then drop every answer and completion that no longer applies. */
export function completePage(
  definition: ServiceDefinition,
  state: JourneyState,
  page: QuestionPage,
  pageAnswers: Readonly<Record<string, AnswerValue | undefined>>,
): JourneyState {
  const answers: Record<string, AnswerValue> = { ...state.answers };
  for (const id of questionIdsOf(page)) delete answers[id];
  for (const [id, value] of Object.entries(pageAnswers)) if (value !== undefined) answers[id] = value;
  const completed = state.completed.includes(page.id) ? state.completed : [...state.completed, page.id];
  return pruneIrrelevant(definition, { answers, completed });
}

/**
 * Keep only what applies to the journey as it now stands: a changed answer can switch a branch, and the
 * answers on the branch left behind must not be sent. Pages after the first incomplete one are kept, as they
 * may still apply once it is answered (a change from check answers that adds a page).
 */
export function pruneIrrelevant(definition: ServiceDefinition, state: JourneyState): JourneyState {
  const { path, next } = walk(definition, state);
  const keep = new Set(path.map((p) => p.id));
  if (next) {
    // Everything reachable from the next page may still apply.
    const stack = [next.id];
    while (stack.length) {
      const id = stack.pop()!;
      if (keep.has(id) || id === CHECK_ANSWERS) continue;
      keep.add(id);
      const page = findPage(definition, id);
      const index = page ? definition.pages.indexOf(page) : -1;
      if (!page) continue;
      if (typeof page.next === 'string') stack.push(page.next);
      else if (page.next) stack.push(...page.next.to);
      else stack.push(definition.pages[index + 1]?.id ?? CHECK_ANSWERS);
    }
  }
  const keptQuestions = new Set(definition.pages.filter((p) => keep.has(p.id)).flatMap(questionIdsOf));
  return {
    answers: Object.fromEntries(Object.entries(state.answers).filter(([id]) => keptQuestions.has(id))),
    completed: state.completed.filter((id) => keep.has(id)),
  };
}

/** The answers that will be sent: only those on the pages that apply to a complete journey. */
export function answersToSend(
  definition: ServiceDefinition,
  state: JourneyState,
): Record<string, AnswerValue> {
  const ids = new Set(walk(definition, state).path.flatMap(questionIdsOf));
  return Object.fromEntries(Object.entries(state.answers).filter(([id]) => ids.has(id)));
}
