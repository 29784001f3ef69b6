import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

// The production build (`node dist/src/server.js`, what `npm start` runs) as a child process, so a test can
// break its database under it and send it signals. Its stdout and stderr are kept for failure messages.

const root = path.resolve(__dirname, '../..');
export const SERVER_SCRIPT = path.join(root, 'dist/src/server.js');
const OUTPUT_LIMIT = 64 * 1024;

export type Exit = { code: number | null; signal: NodeJS.Signals | null; at: number };

export type ServerProcess = {
  readonly base: string;
  readonly port: number;
  readonly proc: ChildProcess;
  alive(): boolean;
  /** The last 64 kB of the server's output. */
  output(): string;
  readonly exited: Promise<Exit>;
  /** SIGTERM, then SIGKILL if it has not gone after `graceMs`. Resolves when it has exited. */
  stop(graceMs?: number): Promise<Exit>;
};

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const proc of running) proc.kill('SIGKILL');
});

export const SESSION_SECRET = 'fault-suite-session-secret-of-more-than-32-characters';
export const MFA_ENCRYPTION_KEY = 'fault-suite-mfa-encryption-key-of-more-than-32-characters';

/** Start the built server against `databaseUrl` with production settings, and wait until it is ready. */
export async function startServer(
  databaseUrl: string,
  extraEnv: Record<string, string> = {},
  readyTimeoutMs = 30_000,
): Promise<ServerProcess> {
  if (!fs.existsSync(SERVER_SCRIPT)) {
    throw new Error(`${SERVER_SCRIPT} is missing: run \`npm run build\` first (npm run test:faults does).`);
  }
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    BASE_URL: base,
    DATABASE_URL: databaseUrl,
    SESSION_SECRET,
    MFA_ENCRYPTION_KEY,
    TRUST_PROXY_HOPS: '1',
    LOG_LEVEL: 'warn',
    // The scenarios send hundreds of applications from one address; the per-client send limit has its own
    // tests (test/apply/send-limit.test.ts) and would only turn some of these sends into 429s.
    SUBMIT_LIMIT_PER_CLIENT: '0',
    // Production needs a virus scanner for uploads: the suite's own clamd (test/clamd/global-setup.js).
    ...(process.env.CLAMD_SOCKET ? { CLAMD_SOCKET: process.env.CLAMD_SOCKET } : {}),
    ...extraEnv,
  };
  const proc = spawn(process.execPath, [SERVER_SCRIPT], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(proc);
  let out = '';
  const keep = (d: Buffer) => {
    out += d.toString();
    if (out.length > OUTPUT_LIMIT * 2) out = out.slice(-OUTPUT_LIMIT);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  let exit: Exit | undefined;
  const exited = new Promise<Exit>((resolve) =>
    proc.once('exit', (code, signal) => {
      exit = { code, signal, at: Date.now() };
      running.delete(proc);
      resolve(exit);
    }),
  );

  const server: ServerProcess = {
    base,
    port,
    proc,
    alive: () => exit === undefined,
    output: () => out.slice(-OUTPUT_LIMIT),
    exited,
    async stop(graceMs = 15_000) {
      if (exit) return exit;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };

  const started = Date.now();
  for (;;) {
    if (exit) throw new Error(`the server exited (${exit.code ?? exit.signal}) before it was ready:\n${out}`);
    try {
      const res = await fetch(`${base}/health/ready`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.ok) return server;
    } catch {
      /* not listening yet */
    }
    if (Date.now() - started > readyTimeoutMs) {
      await server.stop(2000);
      throw new Error(`the server was not ready after ${readyTimeoutMs} ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
