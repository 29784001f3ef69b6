import { Router } from 'express';
import type { Config } from '../config';
import type { Db } from '../db';
import { findMessage, isMessageId, listMessages, render, type OutboxRow } from './outbox';
import { messageIdFor } from './transport';
import { renderSettingsFor } from './index';

// The development mailbox: every message in the outbox, as it would be sent, at /dev/mailbox. Never mounted in
// production (app.ts): it shows people's addresses and answers to anyone who can reach it.

/**
 * The HTML part is served as it would arrive, under a policy that lets nothing in it run or load: a sandbox (an
 * opaque origin: no scripts, forms or plugins, no cookies), nothing fetched, only its inline styles.
 */
export const EMAIL_HTML_CSP =
  "sandbox; default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const STATUS_TEXT: Readonly<Record<OutboxRow['status'], string>> = {
  pending: 'Waiting to be sent',
  sent: 'Sent',
  dead: 'Could not be sent',
};

const when = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

export function setUpDevMailbox(config: Config, db: Db): Router {
  const router = Router();
  const context = renderSettingsFor(config);
  router.get('/dev/mailbox', async (_req, res) => {
    const rows = await listMessages(db);
    res.render('dev/mailbox', {
      smtp: Boolean(config.notifications.smtpUrl),
      messages: rows.map((row) => ({
        id: row.id,
        to: row.recipient,
        subject: render(row, context).subject,
        created: when(row.createdAt),
        status: STATUS_TEXT[row.status],
      })),
    });
  });
  const messageAt = async (id: string) => (isMessageId(id) ? await findMessage(db, id) : undefined);
  router.get('/dev/mailbox/:id', async (req, res) => {
    const row = await messageAt(String(req.params.id));
    if (!row) {
      res.status(404).render('errors/not-found');
      return;
    }
    const message = render(row, context);
    res.render('dev/mailbox-message', {
      message,
      htmlHref: `/dev/mailbox/${row.id}/html`,
      rows: [
        ['From', config.notifications.from],
        ['To', row.recipient],
        ['Subject', message.subject],
        ['Message-ID', messageIdFor(row.id, config.notifications.from)],
        ['Written', when(row.createdAt)],
        ['Status', STATUS_TEXT[row.status]],
        ['Attempts', String(row.attempts)],
        ...(row.sentAt ? [['Delivered', `${when(row.sentAt)} to the ${row.deliveredVia}`]] : []),
        ...(row.lastError ? [['Last error', row.lastError]] : []),
      ].map(([key, value]) => ({ key: { text: key }, value: { text: value } })),
    });
  });
  router.get('/dev/mailbox/:id/html', async (req, res) => {
    const row = await messageAt(String(req.params.id));
    if (!row) {
      res.status(404).render('errors/not-found');
      return;
    }
    // Replaces the portal's own policy (security.ts) for this response only.
    res.setHeader('Content-Security-Policy', EMAIL_HTML_CSP);
    res.type('html').send(render(row, context).html);
  });
  return router;
}
