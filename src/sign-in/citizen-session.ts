import type { Request } from 'express';
import { renewSessionId, saveSession } from '../middleware/session';

// A signed-in citizen (docs/your-applications.md): the address they proved they can read, kept in their session.
// Signing in gives a new session id; the sign-in ends after a while without a request, or when they sign out.

declare module 'express-session' {
  interface SessionData {
    /** The address this browser signed in with, and when it was last used (ms since epoch). */
    citizen?: { email: string; lastSeen: number };
  }
}

const ACTIVITY_RESOLUTION_MS = 60_000;

export type CitizenSignIn =
  Readonly<{ signedIn: true; email: string }> | Readonly<{ signedIn: false; timedOut: boolean }>;

/**
 * Who is signed in on this request, if anyone. A sign-in idle for longer than `idleMs` has ended: it is removed and
 * reported as timed out (so the page can say why). Each request that finds it alive counts as activity.
 */
export function signedInCitizen(req: Request, now: Date, idleMs: number): CitizenSignIn {
  const citizen = req.session.citizen;
  if (!citizen) return { signedIn: false, timedOut: false };
  if (now.getTime() - citizen.lastSeen > idleMs) {
    delete req.session.citizen;
    delete req.session.statusAccess;
    return { signedIn: false, timedOut: true };
  }
  // Activity is recorded to the minute: writing the session on every page would cost a database write each time.
  if (now.getTime() - citizen.lastSeen >= ACTIVITY_RESOLUTION_MS) {
    req.session.citizen = { email: citizen.email, lastSeen: now.getTime() };
  }
  return { signedIn: true, email: citizen.email };
}

/** Sign in under a new session id: whatever id this browser had before (perhaps planted) is not the one signed in. */
export async function signIn(req: Request, email: string, now: Date): Promise<void> {
  await renewSessionId(req);
  req.session.citizen = { email, lastSeen: now.getTime() };
  await saveSession(req);
}

/**
 * Sign out: the sign-in and any application it opened are forgotten, under a new session id. The caller saves the
 * session (after adding what the next page should say).
 */
export async function signOut(req: Request): Promise<void> {
  delete req.session.citizen;
  delete req.session.statusAccess;
  await renewSessionId(req);
}
