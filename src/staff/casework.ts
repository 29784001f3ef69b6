import type { Request, Response } from 'express';
import { BUTTON_ONLY, field, formWith } from '../middleware/form-fields';
import { ukDate } from '../clock';
import { formatDate } from '../questions/date';
import { cleanText, characterCount } from '../questions/sanitise';
import { stringField } from '../questions/question-type';
import { answerSummary } from '../questions/summary';
import { formatReference, parseReference } from '../submissions/reference';
import { STAFF_STATUS_TEXT, STATUSES, isDecided, isStatus } from '../submissions/status';
import { auditActionLabel } from './audit-labels';
import { auditForSubmission } from './audit-repository';
import { attachmentList, sendAttachment } from './attachments';
import { staffOf, type StaffRouter, type StaffSession } from './access';
import {
  caseOwnershipRefusal,
  caseHistory,
  caseMessages,
  caseNotes,
  changeCase,
  eligibleAssignees,
  exportQueue,
  findCase,
  listQueue,
  takeNextCase,
  teamWorkload,
  type CaseChange,
  type CaseDetail,
  type QueueFilters,
  SEARCH_MAX,
} from './case-repository';
import { csvLine } from './csv';
import type { StaffDeps } from './deps';
import { processingClock } from './processing-clock';
import { targetText, typicalTimeText, typicalTimes } from '../performance/typical-time';

const PAGE_SIZE = 25;
const CSV_LIMIT = 10_000;
const MESSAGE_MAX = 2000;
const CASEWORK = ['caseworker', 'manager'] as const;

const EVENT_TEXT: Readonly<Record<string, string>> = {
  submitted: 'Application received',
  assigned: 'Assigned',
  unassigned: 'Unassigned',
  'information-requested': 'More information requested from the citizen',
  'information-provided': 'The citizen replied',
  'reminder-sent': 'Reminder emailed to the citizen (no reply yet)',
  'request-withdrawn': 'Request for more information withdrawn',
  approved: 'Approved',
  rejected: 'Rejected',
};

/** The services whose cases this member of staff may see: those of their agencies. */
const servicesOf = (deps: StaffDeps, staff: StaffSession) =>
  deps.registry.services.filter((s) => staff.agencies.includes(s.agency.id));

function readFilters(req: Request, staff: StaffSession, slugs: readonly string[]): QueueFilters {
  const q = req.query;
  const service = typeof q.service === 'string' && slugs.includes(q.service) ? q.service : undefined;
  const status =
    typeof q.status === 'string' && (q.status === 'all' || isStatus(q.status)) ? q.status : 'open';
  let assignee: QueueFilters['assignee'] = 'anyone';
  if (q.assignee === 'unassigned' || q.assignee === 'me') assignee = q.assignee;
  else if (staff.role === 'manager' && typeof q.assignee === 'string' && /^\d{1,12}$/.test(q.assignee)) {
    assignee = Number(q.assignee);
  }
  // A list (?q=a&q=b) or anything else that is not one string searches for nothing.
  // Control characters (PostgreSQL refuses NUL in text) become spaces.
  const search =
    typeof q.q === 'string'
      ? q.q
          // eslint-disable-next-line no-control-regex -- removing them is the point
          .replace(/[\u0000-\u001f\u007f]/g, ' ')
          .replace(/\s+/g, ' ')
          .trim()
          .slice(0, SEARCH_MAX)
          .trim()
      : '';
  return { service, status, assignee, overdue: q.overdue === 'yes', search: search || undefined };
}

function filterQuery(filters: QueueFilters, page?: number): string {
  const params = new URLSearchParams();
  if (filters.service) params.set('service', filters.service);
  if (filters.status !== 'open') params.set('status', filters.status);
  if (filters.assignee !== 'anyone') params.set('assignee', String(filters.assignee));
  if (filters.overdue) params.set('overdue', 'yes');
  if (filters.search) params.set('q', filters.search);
  if (page && page > 1) params.set('page', String(page));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** GET /staff — the queue, oldest first, with filters and pagination. */
function showQueue(deps: StaffDeps) {
  return async (req: Request, res: Response) => {
    const staff = staffOf(req);
    const services = servicesOf(deps, staff);
    const slugs = services.map((s) => s.slug);
    const filters = readFilters(req, staff, slugs);
    const today = ukDate(deps.clock());
    const requestedPage =
      typeof req.query.page === 'string' && /^\d{1,6}$/.test(req.query.page) ? Number(req.query.page) : 1;
    const page = Math.max(1, requestedPage);
    const { rows, total } = await listQueue(deps.db, slugs, filters, {
      userId: staff.userId,
      today,
      page,
      pageSize: PAGE_SIZE,
    });
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const team =
      staff.role === 'manager'
        ? (
            await Promise.all(
              [...new Set(services.map((s) => s.agency.id))].map((a) => eligibleAssignees(deps.db, a)),
            )
          ).flat()
        : [];
    // The same typical time the citizen sees on the start page (performance/typical-time.ts).
    const times = await typicalTimes(deps);
    res.render('staff/queue', {
      navigation: 'cases',
      typicalTimes: services
        .filter((s) => !filters.service || s.slug === filters.service)
        .map((s) => {
          const time = times.get(s.slug);
          return {
            title: s.title,
            text: time && time.median !== null ? typicalTimeText(time) : targetText(s),
            target: s.processingTargetWorkingDays,
          };
        }),
      filters,
      services: services.map((s) => ({ value: s.slug, text: s.title })),
      statuses: STATUSES.map((s) => ({ value: s, text: STAFF_STATUS_TEXT[s] })),
      team: [...new Map(team.map((t) => [t.id, t])).values()].map((t) => ({
        value: String(t.id),
        text: t.display_name,
      })),
      rows: rows.map((r) => ({
        ...r,
        reference: formatReference(r.reference),
        href: `/staff/submissions/${r.reference}`,
        received: formatDate(ukDate(r.submittedAt)),
        clock: processingClock(r, today, deps.calendar),
        statusText: STAFF_STATUS_TEXT[r.status],
        // Urgent cases (the service's urgency rule, such as a dangerous pothole) come first and say why.
        urgentLabel: r.urgent ? (deps.registry.find(r.serviceSlug)?.urgency?.label ?? 'Urgent') : undefined,
      })),
      total,
      pagination: {
        previous: page > 1 ? { href: `/staff${filterQuery(filters, page - 1)}` } : undefined,
        next: page < pages ? { href: `/staff${filterQuery(filters, page + 1)}` } : undefined,
        items: Array.from({ length: pages }, (_v, i) => ({
          number: i + 1,
          href: `/staff${filterQuery(filters, i + 1)}`,
          current: i + 1 === page,
        })).filter(
          (item) =>
            pages <= 7 || Math.abs(item.number - page) <= 2 || item.number === 1 || item.number === pages,
        ),
      },
      page,
      pages,
      csvHref: `/staff/cases.csv${filterQuery(filters)}`,
      noCaseLeft: req.query.none === 'left',
    });
  };
}

/** POST /staff/next-case */
function takeNext(deps: StaffDeps) {
  return async (req: Request, res: Response) => {
    const staff = staffOf(req);
    const slugs = servicesOf(deps, staff).map((s) => s.slug);
    const reference = await takeNextCase(
      deps.db,
      slugs,
      { id: staff.userId, role: staff.role, requestId: String(req.id) },
      deps.clock(),
    );
    res.redirect(303, reference ? `/staff/submissions/${reference}` : '/staff?none=left');
  };
}

/** GET /staff/cases.csv — the filtered queue as CSV, safe to open in a spreadsheet. */
function exportCsv(deps: StaffDeps) {
  return async (req: Request, res: Response) => {
    const staff = staffOf(req);
    const slugs = servicesOf(deps, staff).map((s) => s.slug);
    const filters = readFilters(req, staff, slugs);
    const today = ukDate(deps.clock());
    const rows = await exportQueue(deps.db, slugs, filters, {
      userId: staff.userId,
      today,
      limit: CSV_LIMIT,
    });
    let body = csvLine([
      'Reference',
      'Service',
      'Status',
      'Received',
      'Due',
      'Time against target',
      'Assigned to',
      'Contact',
    ]);
    for (const r of rows) {
      body += csvLine([
        formatReference(r.reference),
        r.serviceTitle,
        STAFF_STATUS_TEXT[r.status],
        ukDate(r.submittedAt),
        r.dueDate,
        processingClock(r, today, deps.calendar).text,
        r.assigneeName ?? '',
        r.contact ?? '',
      ]);
    }
    res
      .type('text/csv; charset=utf-8')
      .set('Content-Disposition', `attachment; filename="cases-${today}.csv"`)
      .send(`\uFEFF${body}`);
  };
}

type CaseErrors = { text: string; href: string }[];
type CaseValues = Partial<Record<'message' | 'reason' | 'note', string>>;

async function renderCase(
  deps: StaffDeps,
  req: Request,
  res: Response,
  detail: CaseDetail,
  state: {
    status?: number;
    errors?: CaseErrors;
    values?: CaseValues;
    done?: string;
    /** Why an action was not applied (the case changed, or no longer allows it): not a field to correct. */
    problem?: string;
  } = {},
) {
  const staff = staffOf(req);
  const today = ukDate(deps.clock());
  const service = deps.registry.find(detail.serviceSlug);
  const [history, notes, messages, assignees, attachments] = await Promise.all([
    caseHistory(deps.db, detail.id),
    caseNotes(deps.db, detail.id),
    caseMessages(deps.db, detail.id),
    staff.role === 'manager' && service ? eligibleAssignees(deps.db, service.agency.id) : Promise.resolve([]),
    attachmentList(deps, detail),
  ]);
  const answered = new Set(
    detail.snapshot.pages
      .filter((p) => p.questions.some((q) => detail.answers[q.id] !== undefined))
      .map((p) => p.id),
  );
  res.status(state.status ?? 200).render('staff/case', {
    navigation: 'cases',
    detail,
    reference: formatReference(detail.reference),
    statusText: STAFF_STATUS_TEXT[detail.status],
    decided: isDecided(detail.status),
    received: formatDate(ukDate(detail.submittedAt)),
    due: detail.dueDate ? formatDate(detail.dueDate) : 'No target',
    anonymised: detail.anonymisedAt ? formatDate(ukDate(detail.anonymisedAt)) : undefined,
    clock: processingClock(detail, today, deps.calendar),
    assignedToMe: detail.assigneeId === staff.userId,
    canReassign: staff.role === 'manager',
    // The actions caseOwnershipRefusal (case-repository.ts) would refuse are not offered.
    mayAct: staff.role === 'manager' || detail.assigneeId === null || detail.assigneeId === staff.userId,
    assignees: assignees.map((a) => ({
      value: String(a.id),
      text: a.display_name,
      selected: a.id === detail.assigneeId,
    })),
    sections: answerSummary(detail.snapshot.pages, detail.snapshot.sections, detail.answers, {
      pagesShown: answered,
    }),
    calculation: detail.calculation,
    attachments,
    history: history.map((h) => ({
      text: EVENT_TEXT[h.type] ?? h.type,
      by: h.display_name,
      date: formatDate(ukDate(h.occurred_at)),
      datetime: h.occurred_at.toISOString(),
    })),
    notes: notes.map((n) => ({ ...n, date: formatDate(ukDate(n.created_at)) })),
    messages: messages.map((m) => ({ ...m, date: formatDate(ukDate(m.created_at)) })),
    errorList: state.errors ?? [],
    values: state.values ?? {},
    done: state.done,
    problem: state.problem,
    canSeeAudit: staff.role === 'manager',
  });
}

/** Load the case named in the URL within the member of staff's services; 404 for anything else. */
async function loadCase(deps: StaffDeps, req: Request, res: Response): Promise<CaseDetail | undefined> {
  const reference = parseReference(String(req.params.reference ?? ''));
  const slugs = servicesOf(deps, staffOf(req)).map((s) => s.slug);
  const detail = reference ? await findCase(deps.db, reference, slugs) : undefined;
  if (!detail) res.status(404).render('errors/not-found');
  return detail;
}

/** GET /staff/submissions/:reference */
function showCase(deps: StaffDeps) {
  return async (req: Request, res: Response) => {
    const detail = await loadCase(deps, req, res);
    if (!detail) return;
    const done = typeof req.query.done === 'string' ? DONE_TEXT[req.query.done] : undefined;
    await renderCase(deps, req, res, detail, { done });
  };
}

const DONE_TEXT: Readonly<Record<string, string>> = {
  assign: 'The case has been assigned',
  unassign: 'The case has been unassigned',
  note: 'Your note has been added',
  'request-information': 'Your request for more information has been sent to the citizen',
  'withdraw-request':
    'The request for more information has been withdrawn. The citizen has been told and the processing clock has restarted',
  approve: 'The application has been approved',
  reject: 'The application has been rejected',
};

function readText(
  req: Request,
  field: string,
  label: string,
  href: string,
): { value: string; error?: { text: string; href: string } } {
  const value = cleanText(stringField(req.body ?? {}, field), { multiline: true });
  if (!value) return { value, error: { text: `Enter ${label}`, href } };
  if (characterCount(value) > MESSAGE_MAX) {
    return {
      value,
      error: {
        text: `${label.charAt(0).toUpperCase()}${label.slice(1)} must be ${MESSAGE_MAX} characters or less`,
        href,
      },
    };
  }
  return { value };
}

/** Every case action: read the form, apply it with the version the person saw, and say what happened. */
function caseAction(deps: StaffDeps, kind: CaseChange['kind']) {
  return async (req: Request, res: Response) => {
    const detail = await loadCase(deps, req, res);
    if (!detail) return;
    const staff = staffOf(req);
    const body = req.body ?? {};
    const versionText = stringField(body, 'version');
    const expectedVersion = /^\d{1,9}$/.test(versionText) ? Number(versionText) : -1;

    let change: CaseChange;
    let doneKey: string = kind;
    if (kind === 'assign') {
      const to = stringField(body, 'assignee');
      if (to === 'me') change = { kind, to: staff.userId };
      else if (to === 'nobody') {
        // Who may unassign whom is decided on the locked row (case-repository.ts caseOwnershipRefusal).
        change = { kind, to: null };
        doneKey = 'unassign';
      } else if (staff.role === 'manager' && /^\d{1,12}$/.test(to)) {
        const service = deps.registry.find(detail.serviceSlug);
        const eligible = service ? await eligibleAssignees(deps.db, service.agency.id) : [];
        if (!eligible.some((e) => e.id === Number(to))) {
          return renderCase(deps, req, res, detail, {
            status: 422,
            errors: [{ text: 'Select someone who works on this service', href: '#assignee' }],
          });
        }
        change = { kind, to: Number(to) };
      } else {
        return renderCase(deps, req, res, detail, {
          status: 422,
          errors: [{ text: 'Select who to assign the case to', href: '#assignee' }],
        });
      }
    } else if (kind === 'note') {
      const note = readText(req, 'note', 'a note', '#note');
      if (note.error)
        return renderCase(deps, req, res, detail, {
          status: 422,
          errors: [note.error],
          values: { note: note.value },
        });
      change = { kind, body: note.value };
    } else if (kind === 'request-information') {
      const message = readText(req, 'message', 'what you need from the citizen', '#message');
      if (message.error) {
        return renderCase(deps, req, res, detail, {
          status: 422,
          errors: [message.error],
          values: { message: message.value },
        });
      }
      change = { kind, message: message.value };
    } else if (kind === 'reject') {
      const reason = readText(req, 'reason', 'the reason for rejecting the application', '#reason');
      if (reason.error)
        return renderCase(deps, req, res, detail, {
          status: 422,
          errors: [reason.error],
          values: { reason: reason.value },
        });
      change = { kind, reason: reason.value };
    } else if (kind === 'withdraw-request') {
      change = { kind };
    } else {
      change = { kind: 'approve' };
    }

    const outcome = await changeCase(
      deps.db,
      { submissionId: detail.id, expectedVersion },
      change,
      { id: staff.userId, role: staff.role, requestId: String(req.id) },
      deps.clock(),
      deps.calendar,
    );
    if (!outcome.ok) {
      // Show the case as it is now, with what they typed kept, so nothing they wrote is lost.
      const fresh = (await findCase(deps.db, detail.reference, [detail.serviceSlug])) ?? detail;
      return renderCase(deps, req, res, fresh, {
        status: { changed: 409, forbidden: 403, 'not-allowed': 422 }[outcome.problem],
        // A notification banner that takes focus, not an error summary: there is no field to correct.
        problem: outcome.message,
        values: {
          message: stringField(body, 'message'),
          reason: stringField(body, 'reason'),
          note: stringField(body, 'note'),
        },
      });
    }
    res.redirect(303, `/staff/submissions/${detail.reference}?done=${doneKey}`);
  };
}

/**
 * GET /staff/submissions/:reference/withdraw-request — "Are you sure you want to withdraw the request?" The POST
 * (caseAction) decides on the locked row; this page is offered only while a request is waiting for a reply, to
 * whoever may act on the case, and otherwise shows the case saying why not.
 */
function confirmWithdrawal(deps: StaffDeps) {
  return async (req: Request, res: Response) => {
    const detail = await loadCase(deps, req, res);
    if (!detail) return;
    const staff = staffOf(req);
    const refusal = caseOwnershipRefusal({ id: staff.userId, role: staff.role }, detail.assigneeId, {
      kind: 'withdraw-request',
    });
    if (refusal) return renderCase(deps, req, res, detail, { status: 403, problem: refusal });
    if (detail.status !== 'awaiting-citizen' || detail.anonymisedAt) {
      return renderCase(deps, req, res, detail, {
        problem: 'There is no request for information waiting for a reply on this case',
      });
    }
    const [request] = (await caseMessages(deps.db, detail.id))
      .filter((m) => m.direction === 'to-citizen')
      .reverse();
    res.render('staff/withdraw-request', {
      navigation: 'cases',
      detail,
      reference: formatReference(detail.reference),
      request: request ? { body: request.body, date: formatDate(ukDate(request.created_at)) } : undefined,
    });
  };
}

/** GET /staff/submissions/:reference/files/:file — a file sent with the application, as a download. */
function downloadAttachment(deps: StaffDeps) {
  return async (req: Request, res: Response) => {
    const detail = await loadCase(deps, req, res);
    if (!detail) return;
    await sendAttachment(deps, req, res, detail);
  };
}

/** GET /staff/submissions/:reference/audit — managers only. */
function showAudit(deps: StaffDeps) {
  return async (req: Request, res: Response) => {
    const detail = await loadCase(deps, req, res);
    if (!detail) return;
    const rows = await auditForSubmission(deps.db, detail.id);
    res.render('staff/audit', {
      navigation: 'cases',
      reference: formatReference(detail.reference),
      href: `/staff/submissions/${detail.reference}`,
      rows: rows.map((r) => ({
        ...r,
        when: `${formatDate(ukDate(r.occurredAt))} ${r.occurredAt.toISOString().slice(11, 16)} UTC`,
        who: r.actorName ?? (r.actorRole === 'citizen' ? 'Citizen' : 'System'),
        label: auditActionLabel(r.action),
        change:
          r.fromStatus && r.toStatus && r.fromStatus !== r.toStatus
            ? `${STAFF_STATUS_TEXT[r.fromStatus as never] ?? r.fromStatus} to ${STAFF_STATUS_TEXT[r.toStatus as never] ?? r.toStatus}`
            : '',
      })),
    });
  };
}

/** GET /staff/team — managers: open, overdue and paused cases per person in their services. */
function showTeam(deps: StaffDeps) {
  return async (req: Request, res: Response) => {
    const slugs = servicesOf(deps, staffOf(req)).map((s) => s.slug);
    const rows = await teamWorkload(deps.db, slugs, ukDate(deps.clock()));
    res.render('staff/team', {
      navigation: 'team',
      rows: rows.map((r) => ({
        ...r,
        href: `/staff?assignee=${r.id === null ? 'unassigned' : r.id}`,
        overdueHref: `/staff?assignee=${r.id === null ? 'unassigned' : r.id}&overdue=yes`,
      })),
    });
  };
}

export function registerCaseworkRoutes(staff: StaffRouter, deps: StaffDeps): void {
  staff.get('/staff', CASEWORK, showQueue(deps));
  staff.post('/staff/next-case', CASEWORK, BUTTON_ONLY, takeNext(deps));
  staff.get('/staff/cases.csv', CASEWORK, exportCsv(deps));
  staff.get('/staff/submissions/:reference', CASEWORK, showCase(deps));
  // Each action's form: the version the person saw and its own field. The new status, who acted and the service
  // come from the action, the session and the case, never from the form.
  const action = (path: string, kind: CaseChange['kind'], fields: Record<string, typeof field>) =>
    staff.post(path, CASEWORK, formWith({ version: field, ...fields }), caseAction(deps, kind));
  action('/staff/submissions/:reference/assign', 'assign', { assignee: field });
  action('/staff/submissions/:reference/notes', 'note', { note: field });
  action('/staff/submissions/:reference/request-information', 'request-information', { message: field });
  staff.get('/staff/submissions/:reference/withdraw-request', CASEWORK, confirmWithdrawal(deps));
  action('/staff/submissions/:reference/withdraw-request', 'withdraw-request', {});
  action('/staff/submissions/:reference/approve', 'approve', {});
  action('/staff/submissions/:reference/reject', 'reject', { reason: field });
  staff.get('/staff/submissions/:reference/audit', ['manager'], showAudit(deps));
  staff.get('/staff/submissions/:reference/files/:file', CASEWORK, downloadAttachment(deps));
  staff.get('/staff/team', ['manager'], showTeam(deps));
}
