import type { Config } from '../config';
import type { Db } from '../db';
import type { Logger } from '../middleware/logging';
import type { RenderSettings } from './outbox';
import { createStatusLinkSigner } from './status-link';
import { createSecretBox } from '../crypto/secret-box';
import { DRAFT_LINK_PURPOSE } from '../drafts/draft-link';
import { SIGN_IN_LINK_PURPOSE } from '../sign-in/sign-in-link';
import { scheduleReminders } from './reminders';
import { createCalendar, loadBankHolidays } from '../calendar/working-days';
import { createOutboxWorker, type OutboxWorker } from './worker';
import { createSmtpTransport, mailboxTransport, type Transport } from './transport';

/** What every rendering of a message needs: the worker's and the development mailbox's. */
export function renderSettingsFor(config: Config): RenderSettings {
  return {
    baseUrl: config.baseUrl,
    organisationName: config.branding.organisationName,
    statusLinks: createStatusLinkSigner(config.session.secret, config.notifications.statusLinkDays),
    statusLinkDays: config.notifications.statusLinkDays,
    draftLinks: createSecretBox(config.session.secret, DRAFT_LINK_PURPOSE),
    signInLinks: createSecretBox(config.session.secret, SIGN_IN_LINK_PURPOSE),
  };
}

/** SMTP when SMTP_URL is set; otherwise the development mailbox, except in production (nothing is sent). */
export function transportFor(config: Config): Transport | undefined {
  if (config.notifications.smtpUrl) return createSmtpTransport(config.notifications.smtpUrl);
  return config.isProduction ? undefined : mailboxTransport;
}

/** The outbox worker for this configuration, or undefined (with a warning) when there is nowhere to send. */
export function workerFor(config: Config, db: Db, logger: Logger): OutboxWorker | undefined {
  const transport = transportFor(config);
  if (!transport) {
    logger.warn(
      { component: 'notifications' },
      'SMTP_URL is not set: messages wait in the outbox until it is',
    );
    return undefined;
  }
  const worker = createOutboxWorker({
    db,
    transport,
    logger,
    settings: {
      ...renderSettingsFor(config),
      from: config.notifications.from,
      maxAttempts: config.notifications.maxAttempts,
      retryBaseMs: config.notifications.retryBaseMs,
      pollMs: config.notifications.pollMs,
      perRecipientPerHour: config.notifications.perRecipientPerHour,
    },
  });
  // The worker also writes the reminders that are due (reminders.ts), on the same processes.
  const reminders = scheduleReminders({
    db,
    logger,
    everyMs: config.notifications.reminderCheckMs,
    calendar: createCalendar(
      config.calendar.division,
      loadBankHolidays(config.calendar.division, config.calendar.bankHolidaysFile),
    ),
  });
  return {
    ...worker,
    start(loops) {
      worker.start(loops);
      reminders.start();
    },
    async stop() {
      await Promise.all([worker.stop(), reminders.stop()]);
      transport.close();
    },
  };
}
