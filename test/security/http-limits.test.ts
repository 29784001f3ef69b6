import net from 'node:net';
import zlib from 'node:zlib';
import request from 'supertest';
import { listenWithGracefulShutdown, type RunningServer } from '../../src/server';
import { createLogger } from '../../src/middleware/logging';
import { appWith, type TestApp } from '../helpers/app';
import { parseHtml } from '../helpers/html';

// The size and slowness entries of the bad-input catalogue (docs/security.md#bad-input-catalogue) that only a real
// socket can send (REL5):
// headers dribbled one line at a time, a body that never finishes, headers over 16 KB, an idle keep-alive
// connection, and a gzip bomb. The limits are set short here through the same variables production uses
// (HTTP_HEADERS_TIMEOUT_MS, HTTP_REQUEST_TIMEOUT_MS, HTTP_KEEP_ALIVE_TIMEOUT_MS); the defaults are 20 s, 30 s, 65 s.

const HEADERS_TIMEOUT_MS = 400;
const REQUEST_TIMEOUT_MS = 800;
const KEEP_ALIVE_TIMEOUT_MS = 300;
/** How long a slow client below keeps going, if nobody stops it: far beyond every limit above. */
const CLIENT_PATIENCE_MS = 15_000;

let t: TestApp;
let running: RunningServer;
let port: number;

beforeAll(async () => {
  t = await appWith({
    PORT: '0',
    HOST: '127.0.0.1',
    HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
    HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
    HTTP_KEEP_ALIVE_TIMEOUT_MS: String(KEEP_ALIVE_TIMEOUT_MS),
  });
  running = await listenWithGracefulShutdown(t.app, {
    config: t.config,
    logger: createLogger(t.config),
    lifecycle: t.lifecycle,
    onClosed: async () => {},
    exit: () => {},
  });
  const address = running.server.address();
  port = typeof address === 'object' && address ? address.port : 0;
});

afterAll(async () => {
  await running?.shutdown('test');
  await t?.close();
});

type RawExchange = {
  /** Everything the server sent. */
  received: string;
  /** Whether the server closed the connection while the client still had more to send. */
  closedByServer: boolean;
};

/**
 * Send `first`, then `next(i)` every `everyMs` until the server closes the connection or the client's patience
 * runs out; `next` returning undefined sends nothing more and just waits.
 */
function slowClient(
  first: string,
  next: (i: number) => string | undefined,
  everyMs = 50,
): Promise<RawExchange> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    let gaveUp = false;
    let sending: NodeJS.Timeout | undefined;
    const patience = setTimeout(() => {
      gaveUp = true;
      socket.destroy();
    }, CLIENT_PATIENCE_MS);
    socket.setEncoding('latin1');
    socket.on('data', (data: string) => (received += data));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      // Writing to a socket the server has just closed is the server closing it too.
      if (err.code !== 'ECONNRESET' && err.code !== 'EPIPE') reject(err);
    });
    socket.on('end', () => socket.end());
    socket.on('close', () => {
      clearTimeout(patience);
      clearInterval(sending);
      resolve({ received, closedByServer: !gaveUp });
    });
    socket.on('connect', () => {
      socket.write(first);
      let i = 0;
      sending = setInterval(() => {
        const more = next(i++);
        if (more !== undefined && !socket.destroyed) socket.write(more);
      }, everyMs);
    });
  });
}

const statusLine = (raw: string) => raw.split('\r\n')[0];

describe('slow and oversized requests on a real socket', () => {
  it('answers 408 and closes the connection when the headers arrive a line at a time past the headers limit', async () => {
    const exchange = await slowClient(
      'GET / HTTP/1.1\r\nHost: localhost\r\n',
      (i) => `X-Dribble-${i}: a\r\n`,
    );
    expect(exchange.closedByServer).toBe(true);
    expect(statusLine(exchange.received)).toBe('HTTP/1.1 408 Request Timeout');
  });

  it('answers 408 and closes the connection when a form body never finishes', async () => {
    const head =
      'POST /apply/register-a-vehicle/start HTTP/1.1\r\nHost: localhost\r\n' +
      'Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nfield=';
    // A byte now and then keeps the connection busy, never finishing the promised 1000.
    const exchange = await slowClient(head, (i) => (i < 100 ? 'x' : undefined), 100);
    expect(exchange.closedByServer).toBe(true);
    expect(statusLine(exchange.received)).toBe('HTTP/1.1 408 Request Timeout');
  });

  it('answers 431 to headers over 16 KB', async () => {
    const big = `GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(17 * 1024)}\r\n\r\n`;
    const exchange = await slowClient(big, () => undefined);
    expect(exchange.closedByServer).toBe(true);
    expect(statusLine(exchange.received)).toBe('HTTP/1.1 431 Request Header Fields Too Large');
  });

  it('closes an idle keep-alive connection after its limit, having answered the request on it', async () => {
    const exchange = await slowClient(
      'GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n',
      () => undefined,
    );
    expect(exchange.closedByServer).toBe(true);
    expect(statusLine(exchange.received)).toBe('HTTP/1.1 200 OK');
    expect(exchange.received).toMatch(/Keep-Alive: timeout=\d+/);
  });

  it('still serves pages after all of that', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('govuk-template');
  });
});

describe('compressed form bodies', () => {
  it('answers a 10 MB gzip bomb with the 413 page, inflating no more than the body limit', async () => {
    const bomb = zlib.gzipSync(Buffer.from(`field=${'0'.repeat(10 * 1024 * 1024)}`));
    expect(bomb.length).toBeLessThan(100 * 1024); // small on the wire: only its inflated size is too big
    // Sent on the real socket: supertest would serialise a Buffer given with a form content type.
    const res = await fetch(`http://127.0.0.1:${port}/apply/register-a-vehicle/start`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Encoding': 'gzip' },
      body: bomb,
    });
    expect(res.status).toBe(413);
    expect(
      parseHtml(await res.text())('h1')
        .text()
        .trim(),
    ).toBe('Sorry, we could not accept what you sent');
  });

  it('answers a body in a compression it does not know with the 415 page', async () => {
    const res = await request(t.app)
      .post('/apply/register-a-vehicle/start')
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .set('Content-Encoding', 'x-unknown')
      .send('field=1')
      .expect(415);
    expect(parseHtml(res.text)('h1').text().trim()).toBe('Sorry, we could not read what you sent');
  });
});
