import { BUTTON_ONLY } from '../middleware/form-fields';
import { ukDate } from '../clock';
import { formatDate } from '../questions/date';
import { formatReference } from '../submissions/reference';
import {
  countByStatus,
  findMessage,
  isMessageId,
  listDeadMessages,
  retryDeadMessage,
} from '../notifications/outbox';
import { TEMPLATE_NAMES } from '../notifications/template-names';
import { staffOf, type StaffRouter } from './access';
import { recordAudit } from './audit-repository';
import type { StaffDeps } from './deps';

// Emails that could not be sent (status 'dead' in the outbox, src/notifications/outbox.ts), for administrators:
// what each was, when, why it failed, and "Try again". Administrators do not see case data (docs/staff.md): the
// address is masked, the email's content is not shown and the reference is not a link.

declare module 'express-session' {
  interface SessionData {
    /** A one-off message for the emails page, after "Try again". */
    staffMessagesNotice?: Readonly<{ type: 'success' | 'important'; text: string }>;
  }
}

const ADMIN = ['admin'] as const;

/** How many dead messages the page lists, newest first. */
export const DEAD_MESSAGES_SHOWN = 50;

/** The first character of the address's local part and its domain: j•••@example.com. */
export function maskAddress(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 1) return '•••';
  return `${[...address.slice(0, at)][0]}•••${address.slice(at)}`;
}

const LONDON_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const when = (d: Date) => `${formatDate(ukDate(d))} at ${LONDON_TIME.format(d)}`;

export function registerMessageAdminRoutes(staff: StaffRouter, deps: StaffDeps): void {
  const { db } = deps;

  staff.get('/staff/messages', ADMIN, async (req, res) => {
    const notice = req.session.staffMessagesNotice;
    delete req.session.staffMessagesNotice;
    const [counts, dead] = await Promise.all([countByStatus(db), listDeadMessages(db, DEAD_MESSAGES_SHOWN)]);
    res.render('staff/messages', {
      navigation: 'messages',
      notice,
      counts,
      shown: DEAD_MESSAGES_SHOWN,
      messages: dead.map((m) => ({
        id: m.id,
        name: TEMPLATE_NAMES[m.template] ?? m.template,
        written: when(m.createdAt),
        attempts: m.attempts,
        lastError: m.lastError ?? 'None recorded',
        reference: m.reference ? formatReference(m.reference) : undefined,
        to: maskAddress(m.recipient),
      })),
    });
  });

  staff.post('/staff/messages/:id/retry', ADMIN, BUTTON_ONLY, async (req, res) => {
    const id = String(req.params.id);
    const admin = staffOf(req);
    // Put back in the queue and audited together, or not at all.
    const retried = await db.transaction(async (trx) => {
      const row = await retryDeadMessage(trx, id, deps.clock());
      if (row) {
        await recordAudit(trx, {
          actorId: admin.userId,
          actorRole: admin.role,
          action: 'message-retried',
          requestId: String(req.id),
          details: { outboxId: row.id, template: row.template },
        });
      }
      return row;
    });
    if (retried) {
      req.log?.info({ event: 'message-retried', outboxId: retried.id }, 'dead message put back in the queue');
      req.session.staffMessagesNotice = {
        type: 'success',
        text: `The “${TEMPLATE_NAMES[retried.template] ?? retried.template}” email will be sent again in the next few minutes.`,
      };
      return res.redirect('/staff/messages');
    }
    // Not dead (any more): someone else tried it again, or it was sent. An id that was never a message: 404.
    const existing = isMessageId(id) ? await findMessage(db, id) : undefined;
    if (!existing) return res.status(404).render('errors/not-found');
    req.session.staffMessagesNotice = {
      type: 'important',
      text: 'That email is no longer waiting for someone to try it again: it has been tried again already or sent. Nothing was changed.',
    };
    return res.redirect('/staff/messages');
  });
}
