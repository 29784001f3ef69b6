import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/middleware/logging';
import { listenWithGracefulShutdown } from '../src/server';
import { runTs } from './helpers/child-process';

describe('graceful shutdown', () => {
  it('lets a slow request finish after SIGTERM, refuses new connections, then exits 0', async () => {
    const child = runTs('test/fixtures/slow-server.ts', { ...process.env, LOG_LEVEL: 'silent' });
    const [, port] = await child.waitFor(/listening (\d+)/);
    const slow = fetch(`http://127.0.0.1:${port}/slow`).then(async (r) => ({
      status: r.status,
      body: await r.text(),
    }));
    await new Promise((r) => setTimeout(r, 300));
    child.proc.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 200));
    const late = await fetch(`http://127.0.0.1:${port}/slow`).then(
      () => 'answered',
      () => 'refused',
    );
    expect(late).toBe('refused');
    expect(await slow).toEqual({ status: 200, body: 'finished' });
    expect(await child.exited).toBe(0);
    expect(child.output()).toContain('resources closed');
  });
});

describe('starting the portal with no database server', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-pglite-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  const start = () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'development',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
    };
    delete env.DATABASE_URL;
    return runTs('src/server.ts', env);
  };

  it('creates a file-backed database, migrates it, serves the home page, and starts again on the same data', async () => {
    for (const run of [1, 2]) {
      const child = start();
      const [, port] = await child.waitFor(/"port":(\d+)/, 60000);
      const home = await fetch(`http://127.0.0.1:${port}/`);
      expect(home.status).toBe(200);
      expect(await home.text()).toContain('govuk-template');
      expect((await fetch(`http://127.0.0.1:${port}/health/ready`)).status).toBe(200);
      if (run === 1) expect(child.output()).toContain('applied migrations');
      else expect(child.output()).not.toContain('applied migrations');
      child.proc.kill('SIGTERM');
      expect(await child.exited).toBe(0);
    }
    expect(fs.existsSync(path.join(dataDir, 'PG_VERSION'))).toBe(true);
  }, 120000);

  it('stops with a clear message when the configuration is invalid', async () => {
    const env = { ...process.env, PORT: 'not-a-port' };
    const child = runTs('src/server.ts', env);
    expect(await child.exited).toBe(1);
    expect(child.output()).toContain('PORT must be a whole number');
  });
});

describe('shutdown that cannot finish in time', () => {
  // docs/security.md#rel7: a second signal, or a request still running at SHUTDOWN_TIMEOUT_MS, means exit 1 (the
  // platform is told the stop was not clean), and the database is still closed.
  async function start(env: Record<string, string> = {}) {
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      SHUTDOWN_TIMEOUT_MS: '1000',
      ...env,
    });
    const app = express();
    const hanging = new Set<express.Response>();
    app.get('/hang', (_req, res) => void hanging.add(res));
    app.get('/page', (_req, res) => void res.send('served'));
    const exits: number[] = [];
    let closed = 0;
    const lifecycle = { shuttingDown: false };
    const running = await listenWithGracefulShutdown(app, {
      config,
      logger: createLogger(config),
      lifecycle,
      onClosed: async () => void closed++,
      exit: (code) => void exits.push(code),
    });
    const address = running.server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    return { running, exits, closed: () => closed, lifecycle, url, hanging };
  }

  async function startHanging() {
    const started = await start();
    // A request that never gets its answer, in flight when the signal comes.
    const inFlight = fetch(`${started.url}/hang`).catch((err: unknown) => err);
    while (started.hanging.size === 0) await new Promise((r) => setTimeout(r, 10));
    return { ...started, inFlight };
  }

  it('exits 1, with the database closed, when a request is still running at the deadline', async () => {
    const { running, exits, closed, inFlight } = await startHanging();
    expect(await running.shutdown('SIGTERM')).toBe(1);
    expect(exits).toEqual([1]);
    expect(closed()).toBe(1);
    // The hanging request's connection was closed, not left open.
    expect(await inFlight).toMatchObject({ message: 'fetch failed' });
  });

  it('exits 1 at once on a second signal while the first shutdown waits', async () => {
    const { running, exits, inFlight } = await startHanging();
    const first = running.shutdown('SIGTERM');
    void running.shutdown('SIGINT');
    expect(exits).toEqual([1]);
    // The first shutdown still ends (at its deadline), closing what it holds.
    expect(await first).toBe(1);
    await inFlight;
  });

  it('with SHUTDOWN_DRAIN_MS, keeps serving new requests (readiness already 503) until the drain ends, then exits 0', async () => {
    const { running, exits, lifecycle, url } = await start({ SHUTDOWN_DRAIN_MS: '400' });
    const stopped = running.shutdown('SIGTERM');
    expect(lifecycle.shuttingDown).toBe(true); // /health/ready answers 503 from now on
    // While the load balancer has not yet noticed, what it still sends is served, each told to close.
    const during = await fetch(`${url}/page`);
    expect(await during.text()).toBe('served');
    expect(during.headers.get('connection')).toBe('close');
    expect(await stopped).toBe(0);
    expect(exits).toEqual([0]);
    const after = await fetch(`${url}/page`).catch((err: unknown) => err);
    expect(after).toMatchObject({ message: 'fetch failed' });
  });
});
