import blueBadge from '../../fixtures/journeys/apply-for-a-blue-badge';
import fishingLicence from '../../fixtures/journeys/apply-for-a-rod-fishing-licence';
import selfAssessment from '../../fixtures/journeys/file-a-self-assessment-tax-return';
import vehicle from '../../fixtures/journeys/register-a-vehicle';
import vote from '../../fixtures/journeys/register-to-vote';
import pothole from '../../fixtures/journeys/report-a-pothole';
import type { JourneyPath, JourneyStep } from '../../fixtures/journeys/types';
import type { QuestionPage, ServiceDefinition } from '../../../src/definitions/types';

/** Every shipped service's journey fixtures (paths through its pages), by slug. */
export const JOURNEYS: Readonly<Record<string, readonly JourneyPath[]>> = {
  'apply-for-a-blue-badge': blueBadge,
  'apply-for-a-rod-fishing-licence': fishingLicence,
  'file-a-self-assessment-tax-return': selfAssessment,
  'register-a-vehicle': vehicle,
  'register-to-vote': vote,
  'report-a-pothole': pothole,
};

export function journeysOf(service: ServiceDefinition): readonly JourneyPath[] {
  const paths = JOURNEYS[service.slug];
  if (!paths)
    throw new Error(`no journey fixtures for ${service.slug}: add test/fixtures/journeys/${service.slug}.ts`);
  return paths;
}

export function pageOf(service: ServiceDefinition, id: string): QuestionPage {
  const page = service.pages.find((p) => p.id === id);
  if (!page) throw new Error(`${service.slug} has no page ${id}`);
  return page;
}

/** A page with a question that must be answered: submitting it empty shows errors. */
export const hasRequiredQuestion = (page: QuestionPage): boolean => page.questions.some((q) => !q.optional);

/** The radio and checkbox choices of a step: they change what the page shows (conditional questions). */
export function choiceSignature(page: QuestionPage, step: JourneyStep): string {
  const choices = page.questions
    .filter((q) => q.type === 'radios' || q.type === 'checkboxes' || q.type === 'yes-no')
    .map((q) => {
      const value = step.body[q.id];
      return `${q.id}=${Array.isArray(value) ? value.join('+') : (value ?? '')}`;
    });
  return choices.join('&');
}

/** Conditional questions (revealed by a chosen radio) that the step answers: id of each. */
export function revealedQuestions(page: QuestionPage, step: JourneyStep): string[] {
  const ids: string[] = [];
  for (const q of page.questions) {
    if (q.type !== 'radios') continue;
    const chosen = q.options.find((o) => o.value === step.body[q.id]);
    const conditional = chosen?.conditional;
    if (conditional && !conditional.optional) {
      const names = Object.keys(step.body).filter(
        (n) => n === conditional.id || n.startsWith(`${conditional.id}-`),
      );
      if (names.length > 0) ids.push(conditional.id);
    }
  }
  return ids;
}
