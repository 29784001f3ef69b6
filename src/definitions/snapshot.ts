import { DEFAULT_REMINDER_WORKING_DAYS, type QuestionPage, type ServiceDefinition } from './types';

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
  /** Absent in snapshots taken before they were kept: then the service's words today, or none. */
  afterApproval?: readonly string[];
  reminderAfterWorkingDays?: number;
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
      afterApproval: d.afterApproval,
      reminderAfterWorkingDays: d.reminderAfterWorkingDays ?? DEFAULT_REMINDER_WORKING_DAYS,
      pages: d.pages.map(({ next: _next, ...page }) => page),
      sections: d.checkAnswers.sections,
    }),
  ) as DefinitionSnapshot;
}
