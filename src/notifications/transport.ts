import nodemailer from 'nodemailer';

// Where messages go: an SMTP server (SMTP_URL, through nodemailer), or, without one outside production, the
// development mailbox: the message stays in the outbox, marked delivered to the mailbox, and /dev/mailbox shows it.

export type Envelope = Readonly<{
  /** The outbox row id: the Message-ID, so a retry is the same message. */
  id: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}>;

export type Transport = Readonly<{
  kind: 'smtp' | 'mailbox';
  send: (message: Envelope) => Promise<void>;
  close: () => void;
}>;

/** `<id@domain>`, the domain being MAIL_FROM's: the same header on every attempt of one outbox row. */
export const messageIdFor = (id: string, from: string): string => `<${id}@${domainOf(from) || 'localhost'}>`;

/** 'Portal <noreply@example.gov.uk>' -> 'example.gov.uk': after the last @, up to a '>' or space. */
function domainOf(from: string): string {
  const at = from.lastIndexOf('@');
  if (at < 0) return '';
  const rest = from.slice(at + 1);
  const end = rest.search(/[>\s]/);
  return end < 0 ? rest : rest.slice(0, end);
}

export type SmtpTimeouts = Readonly<{ connectionMs: number; greetingMs: number; socketMs: number }>;
export const DEFAULT_SMTP_TIMEOUTS: SmtpTimeouts = {
  connectionMs: 10_000,
  greetingMs: 10_000,
  socketMs: 30_000,
};

export function createSmtpTransport(url: string, timeouts: SmtpTimeouts = DEFAULT_SMTP_TIMEOUTS): Transport {
  const mailer = nodemailer.createTransport({
    url,
    // Bounded waits: a server that hangs fails the attempt, which is retried later.
    connectionTimeout: timeouts.connectionMs,
    greetingTimeout: timeouts.greetingMs,
    socketTimeout: timeouts.socketMs,
    // Never write the conversation (addresses, content) to the log.
    logger: false,
    debug: false,
  });
  return {
    kind: 'smtp',
    async send(message) {
      await mailer.sendMail({
        from: message.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        messageId: messageIdFor(message.id, message.from),
        headers: { 'X-Outbox-Id': message.id },
      });
    },
    close: () => mailer.close(),
  };
}

/** The development mailbox: nothing leaves the machine; /dev/mailbox reads the outbox. */
export const mailboxTransport: Transport = { kind: 'mailbox', send: async () => {}, close: () => {} };

/**
 * A short code for a failed attempt (e.g. "EENVELOPE 451"): the server's own text is left out, as it can quote
 * the address. `permanent`: the server refused the message itself (5xx), so retrying cannot help.
 */
export function describeFailure(err: unknown): { code: string; permanent: boolean } {
  const e = err as { code?: unknown; responseCode?: unknown };
  const code = typeof e.code === 'string' && /^[A-Z_]{1,30}$/.test(e.code) ? e.code : 'ERROR';
  const response = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  return {
    code: response ? `${code} ${response}` : code,
    permanent: code === 'EENVELOPE' && response !== undefined && response >= 500,
  };
}
