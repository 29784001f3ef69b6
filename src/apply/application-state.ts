import type { Request } from 'express';
import type { ServiceDefinition } from '../definitions/types';
import { emptyJourney, type JourneyState } from '../journey/journey';

export type ApplicationState = JourneyState &
  Readonly<{
    /** Issued with check your answers; the same token submitted twice makes one submission. */
    submissionToken?: string;
    /** Pages already counted as reached for this journey, so a refresh is not counted twice. */
    counted?: readonly string[];
    /**
     * The complete answers as they were on check your answers, kept while a change made there opens pages that
     * are not answered yet (a branch switched). Until the new branch is complete the change can be cancelled
     * (Back to check answers restores these), and answering the old way again finds the old answers.
     */
    checkpoint?: JourneyState;
    /** Owns the files this journey uploaded (src/uploads/upload-repository.ts); made with the first upload. */
    uploadKey?: string;
  }>;

declare module 'express-session' {
  interface SessionData {
    /** Answers in progress, by service slug. They stay here until submit, including when the database fails. */
    applications?: Record<string, ApplicationState>;
    /** References this session submitted, so only it can see their confirmation pages. */
    submitted?: Record<string, string>;
  }
}

export function applicationOf(req: Request, definition: ServiceDefinition): ApplicationState {
  const apps = req.session.applications;
  return (apps && Object.hasOwn(apps, definition.slug) ? apps[definition.slug] : undefined) ?? emptyJourney;
}

/** Keep the state in the session; true when it differs from what was there (so the session needs saving). */
export function saveApplication(
  req: Request,
  definition: ServiceDefinition,
  state: ApplicationState,
): boolean {
  const apps = req.session.applications;
  const before = apps && Object.hasOwn(apps, definition.slug) ? apps[definition.slug] : undefined;
  req.session.applications = { ...req.session.applications, [definition.slug]: state };
  return before === undefined || JSON.stringify(before) !== JSON.stringify(state);
}

/** True once the session holds a journey for this service (Start now, or any answer), even an empty one. */
export function hasApplication(req: Request, definition: ServiceDefinition): boolean {
  const apps = req.session.applications;
  return !!apps && Object.hasOwn(apps, definition.slug);
}

/** The reference of the last application this session sent for this service, if any. */
export function lastSent(req: Request, definition: ServiceDefinition): string | undefined {
  const sent = Object.entries(req.session.submitted ?? {}).filter(([, slug]) => slug === definition.slug);
  return sent[sent.length - 1]?.[0];
}

export function clearApplication(req: Request, definition: ServiceDefinition): void {
  const { [definition.slug]: _dropped, ...rest } = req.session.applications ?? {};
  req.session.applications = rest;
}
