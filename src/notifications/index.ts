import type { Config } from '../config';
import type { Db } from '../db';
import type { Logger } from '../middleware/logging';
import { createOutboxWorker, type OutboxWorker } from './worker';
import { createSmtpTransport, mailboxTransport, type Transport } from './transport';

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
      from: config.notifications.from,
      baseUrl: config.baseUrl,
      organisationName: config.branding.organisationName,
      maxAttempts: config.notifications.maxAttempts,
      retryBaseMs: config.notifications.retryBaseMs,
      pollMs: config.notifications.pollMs,
      perRecipientPerHour: config.notifications.perRecipientPerHour,
    },
  });
  return {
    ...worker,
    async stop() {
      await worker.stop();
      transport.close();
    },
  };
}
