import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
