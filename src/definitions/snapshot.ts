import type { QuestionPage, ServiceDefinition } from './types';

/**
 * What a submission stores of the definition the citizen answered: plain data, no functions. Staff views render
 * answers through it, so a later change to the service never changes what a past submission shows.
 */
export type DefinitionSnapshot = Readonly<{
  slug: string;
  version: number;
  title: string;
  agency: ServiceDefinition['agency'];
  processingTargetWorkingDays: number;
  pages: readonly Omit<QuestionPage, 'next'>[];
  sections: ServiceDefinition['checkAnswers']['sections'];
}>;

export function snapshotDefinition(d: ServiceDefinition): DefinitionSnapshot {
  return JSON.parse(
    JSON.stringify({
      slug: d.slug,
      version: d.version,
      title: d.title,
      agency: d.agency,
      processingTargetWorkingDays: d.processingTargetWorkingDays,
      pages: d.pages.map(({ next: _next, ...page }) => page),
      sections: d.checkAnswers.sections,
    }),
  ) as DefinitionSnapshot;
}
