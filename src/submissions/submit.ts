import type { Db } from '../db';
import { ukDate } from '../clock';
import type { WorkingDayCalendar } from '../calendar/working-days';
import type { AnswerValue, ServiceDefinition, UploadedFile } from '../definitions/types';
import { snapshotDefinition } from '../definitions/snapshot';
import { insertSubmission } from './submission-repository';
import { answersForEmail, contactEmailOf } from '../notifications/contact';

/**
 * What proves ownership on the status check: the applicant's own email address (lower-cased) and phone number
 * (E.164, as the phone question stores it), from the questions the definition marks (`statusCheckQuestions`).
 */
export function statusCheckProof(
  definition: ServiceDefinition,
  answers: Readonly<Record<string, AnswerValue>>,
): { statusCheckEmail?: string; statusCheckPhone?: string } {
  const proof: { statusCheckEmail?: string; statusCheckPhone?: string } = {};
  const questions = definition.pages.flatMap((p) => p.questions);
  for (const id of definition.statusCheckQuestions) {
    const value = answers[id];
    if (typeof value !== 'string' || value === '') continue;
    const type = questions.find((q) => q.id === id)?.type;
    if (type === 'email') proof.statusCheckEmail = value.toLowerCase();
    if (type === 'phone') proof.statusCheckPhone = value;
  }
  return proof;
}

/** One transaction: the answers, what the citizen saw, the calculation shown, the reference, the event and the email. */
export function submitApplication(
  db: Db,
  definition: ServiceDefinition,
  answers: Readonly<Record<string, AnswerValue>>,
  submissionToken: string,
  when: Readonly<{ now: Date; calendar: WorkingDayCalendar }>,
  /** The journey that uploaded the files named in the answers (src/uploads). */
  uploadKey?: string,
  /** The saved draft this journey came from or was saved as (src/drafts): deleted with the sending. */
  draftId?: string,
) {
  const fileIds = definition.pages
    .flatMap((p) => p.questions)
    .flatMap((q) => {
      const value = answers[q.id];
      return q.type === 'file' && Array.isArray(value)
        ? (value as readonly UploadedFile[]).map((f) => f.id)
        : [];
    });
  return insertSubmission(db, {
    draftId,
    uploads: fileIds.length > 0 ? { journeyKey: uploadKey ?? '', ids: fileIds } : undefined,
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
