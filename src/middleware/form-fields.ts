import type { RequestHandler } from 'express';
import { z } from 'zod';

/**
 * Each form route accepts only the fields its form has (docs/security.md#z4, mass assignment). A field name the form
 * does not have — `status`, `decided_by`, `service_id`, `assigned_to`, `reference[]`, a prototype key — cannot come
 * from a person using the page, so the whole request is refused with the 400 "we could not read what you sent"
 * page and nothing is changed. What a route may change (a status, who decided, which service) is decided by the
 * server from the session and the URL, never from the body.
 *
 * The values of the declared fields are the handler's to judge: a repeated single field arrives as a list and
 * gets that field's own GOV.UK error message from the handler (docs/security.md#bad-input-catalogue, type confusion), as any other
 * wrong value does.
 */

/** A declared field: what URL-encoded parsing can give for one name, one value or a repeated one. */
export const field = z.union([z.string(), z.array(z.string())]).optional();

export type FormFields = z.ZodObject<Record<string, typeof field>, z.core.$strict>;

/** The fields a form sends, besides the CSRF token every form carries. */
export function formWith<Shape extends Record<string, typeof field>>(shape: Shape): FormFields {
  return z.strictObject({ _csrf: field, ...shape });
}

/** A form with nothing but its button and CSRF token. */
export const BUTTON_ONLY = formWith({});

/** The names a form declares, for tests and the route list. */
export function declaredFields(form: FormFields): readonly string[] {
  return Object.keys(form.shape).filter((name) => name !== '_csrf');
}

export function acceptOnly(form: FormFields): RequestHandler {
  return (req, res, next) => {
    const result = form.safeParse(req.body ?? {});
    if (result.success) return next();
    // Log what was wrong with the shape, never the values (they may be personal data) or the raw key names.
    req.log?.warn(
      { event: 'form-refused', route: req.route?.path, problems: result.error.issues.map((i) => i.code) },
      'form with a field it does not have',
    );
    res.status(400).render('errors/bad-request');
  };
}
