import type { Db } from '../db';
import { ukDate } from '../clock';
import type { WorkingDayCalendar } from '../calendar/working-days';
import type { AnswerValue, ServiceDefinition } from '../definitions/types';
import { snapshotDefinition } from '../definitions/snapshot';
import { insertSubmission } from './submission-repository';
import { answersForEmail, contactEmailOf } from '../notifications/contact';

/** The normalised answer that proves ownership on the status check: a postcode or an email address. */
export function statusCheckProof(
  definition: ServiceDefinition,
  answers: Readonly<Record<string, AnswerValue>>,
): { statusCheckPostcode?: string; statusCheckEmail?: string } {
  const value = answers[definition.statusCheckQuestion];
  const question = definition.pages
    .flatMap((p) => p.questions)
    .find((q) => q.id === definition.statusCheckQuestion);
  if (question?.type === 'email' && typeof value === 'string')
    return { statusCheckEmail: value.toLowerCase() };
  if (question?.type === 'postcode' && typeof value === 'string') return { statusCheckPostcode: value };
  if (question?.type === 'address' && value && typeof value === 'object' && 'postcode' in value) {
    return { statusCheckPostcode: value.postcode };
  }
  return {};
}

/** One transaction: the answers, what the citizen saw, the calculation shown, the reference, the event and the email. */
export function submitApplication(
  db: Db,
  definition: ServiceDefinition,
  answers: Readonly<Record<string, AnswerValue>>,
  submissionToken: string,
  when: Readonly<{ now: Date; calendar: WorkingDayCalendar }>,
) {
  return insertSubmission(db, {
    submittedAt: when.now,
    dueDate: when.calendar.addWorkingDays(ukDate(when.now), definition.processingTargetWorkingDays),
    serviceSlug: definition.slug,
    definitionVersion: definition.version,
    snapshot: snapshotDefinition(definition),
    answers,
    calculation: definition.checkAnswers.calculation?.(answers),
    submissionToken,
    ...statusCheckProof(definition, answers),
    contactEmail: contactEmailOf(definition.pages, answers),
    urgent: definition.urgency?.when(answers) ?? false,
    applicationSent: {
      serviceSlug: definition.slug,
      serviceTitle: definition.title,
      agency: { name: definition.agency.name, contact: definition.agency.contact },
      whatHappensNext: definition.whatHappensNext,
      targetWorkingDays: definition.processingTargetWorkingDays,
      sections: answersForEmail(definition.pages, definition.checkAnswers.sections, answers),
    },
  });
}
