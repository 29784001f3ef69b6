import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

// A real SMTP server on 127.0.0.1 (the smtp-server package) for the notification tests: it records every
// message it receives, raw and parsed, and answers each DATA as the test says (accept, refuse, drop the line).

export type Received = Readonly<{
  raw: string;
  mail: ParsedMail;
  envelopeTo: string[];
  /** What the server answered: the message was only delivered when 'accepted'. */
  outcome: 'accepted' | 'refused' | 'dropped';
}>;

export type Answer = 'accept' | 'refuse' | 'drop';

export type TestSmtpServer = {
  url: string;
  received: Received[];
  /** Messages the server accepted (what the citizen got). */
  delivered: () => Received[];
  /** How the next DATA is answered: accept (250), refuse (451, try later), or drop the connection. */
  answer: Answer | ((n: number) => Answer);
  /** Forget what was received, count messages from 1 again and accept them. */
  reset: () => void;
  close: () => Promise<void>;
};

export async function startSmtpServer(): Promise<TestSmtpServer> {
  const received: Received[] = [];
  let dataCount = 0;
  const state: TestSmtpServer = {
    url: '',
    received,
    delivered: () => received.filter((r) => r.outcome === 'accepted'),
    answer: 'accept',
    reset() {
      received.length = 0;
      dataCount = 0;
      state.answer = 'accept';
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (err?: Error | null) => void) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        dataCount += 1;
        const answer = typeof state.answer === 'function' ? state.answer(dataCount) : state.answer;
        const raw = Buffer.concat(chunks).toString('utf8');
        const envelopeTo = session.envelope.rcptTo.map((r) => r.address);
        void simpleParser(raw).then((mail) => {
          received.push({
            raw,
            mail,
            envelopeTo,
            outcome: answer === 'accept' ? 'accepted' : answer === 'refuse' ? 'refused' : 'dropped',
          });
          if (answer === 'accept') callback();
          else if (answer === 'refuse') {
            const err = Object.assign(new Error('Try again later'), { responseCode: 451 });
            callback(err);
          } else {
            // The message arrived, but the line goes before the server says so: the sender cannot know.
            for (const conn of (
              server as unknown as { connections: Set<{ _socket: { destroy: () => void } }> }
            ).connections)
              conn._socket.destroy();
          }
        });
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = (server as unknown as { server: { address: () => AddressInfo } }).server.address();
  state.url = `smtp://127.0.0.1:${port}`;
  return state;
}
