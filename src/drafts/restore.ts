import { snapshotDefinition } from '../definitions/snapshot';
import type { QuestionPage, ServiceDefinition } from '../definitions/types';
import { pruneIrrelevant, questionIdsOf, type JourneyState } from '../journey/journey';

// A saved draft comes back into a journey (docs/save-and-return.md#a-changed-service). On the same version of the
// service nothing changes. On another version, a page is kept only if it is asked exactly as it was when the
// draft was saved (same questions, same rules, same words): an answer to a question that changed may no longer be
// a valid answer, or mean the same thing. The journey is then derived again from what is kept.

export type SavedPage = Omit<QuestionPage, 'next'>;

export type SavedJourney = Readonly<{
  version: number;
  state: JourneyState;
  /** The pages as they were asked when the draft was saved (the definition snapshot's pages). */
  pages: readonly SavedPage[];
}>;

export type Restored = Readonly<{
  state: JourneyState;
  /** Headings of the pages whose answers were dropped because the service changed: to be answered again. */
  answerAgain: readonly string[];
}>;

/** The pages of a definition as a draft keeps them. */
export const pagesToSave = (definition: ServiceDefinition): readonly SavedPage[] =>
  snapshotDefinition(definition).pages;

const headingOf = (page: SavedPage): string => page.title ?? page.questions[0]?.label ?? page.id;

export function restoreDraft(definition: ServiceDefinition, saved: SavedJourney): Restored {
  if (saved.version === definition.version) {
    return { state: pruneIrrelevant(definition, saved.state), answerAgain: [] };
  }
  const now = new Map(pagesToSave(definition).map((p) => [p.id, JSON.stringify(p)]));
  const before = new Map(saved.pages.map((p) => [p.id, p]));
  const unchanged = (id: string) => {
    const old = before.get(id);
    return old !== undefined && now.get(id) === JSON.stringify(old);
  };
  const kept = saved.state.completed.filter(unchanged);
  const keptQuestions = new Set(
    definition.pages.filter((p) => kept.includes(p.id)).flatMap((p) => questionIdsOf(p)),
  );
  const state = pruneIrrelevant(definition, {
    answers: Object.fromEntries(Object.entries(saved.state.answers).filter(([id]) => keptQuestions.has(id))),
    completed: kept,
  });
  const answerAgain = saved.state.completed
    .filter((id) => !unchanged(id) && now.has(id))
    .map((id) => headingOf(definition.pages.find((p) => p.id === id)!));
  return { state, answerAgain };
}
