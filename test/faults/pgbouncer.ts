import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './server';

// A real PgBouncer for the fault suite, set up as docs/operations.md ("PgBouncer in transaction mode") says: transaction pooling, the pg
// driver's two startup parameters ignored, listening on a free loopback port with its own ini and user list.
// Debian's package (`apt-get install pgbouncer`, what `.ci/run` installs) puts the binary in /usr/sbin, which is
// not on every PATH. PgBouncer refuses to run as root, so as root it is told to switch to the `postgres` user.

const CANDIDATES = ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer', '/usr/local/bin/pgbouncer'];

/** The pgbouncer binary ($PGBOUNCER, then PATH, then Debian's /usr/sbin), or an error saying how to install it. */
export function findPgBouncer(): string {
  const fromPath = (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .map((dir) => path.join(dir, 'pgbouncer'));
  const found = [process.env.PGBOUNCER, ...fromPath, ...CANDIDATES].find(
    (file): file is string => !!file && fs.existsSync(file),
  );
  if (!found) {
    throw new Error(
      'The PgBouncer test needs the pgbouncer binary (Debian package "pgbouncer", in /usr/sbin), and none was ' +
        'found. Install it (`apt-get install pgbouncer`; .ci/run does) or set PGBOUNCER to its path.',
    );
  }
  return found;
}

export type PgBouncer = {
  readonly port: number;
  readonly version: string;
  /** postgres:// URL of `database` through the pooler, as its user. */
  url(database: string): string;
  /** The pooler's own log (its stderr), for failure messages. */
  log(): string;
  /** SIGINT (PgBouncer's immediate shutdown), then SIGKILL; deletes its files. Safe to call twice. */
  stop(): Promise<void>;
};

export type PgBouncerOptions = {
  /** The PostgreSQL server it pools: 127.0.0.1 unless told. */
  serverHost?: string;
  serverPort: number;
  /** The one user clients connect as, and it as that user to the server (with its password, if any): postgres. */
  user?: string;
  password?: string;
  /** Databases to pool, each to the database of the same name on the server. */
  databases: string[];
  /** Server connections per database and user: fewer than the app's clients, so connections are really shared. */
  poolSize: number;
};

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const proc of running) proc.kill('SIGKILL');
});

/** Start PgBouncer in transaction mode in front of the server on `serverPort`, and wait until it accepts. */
export async function startPgBouncer(options: PgBouncerOptions): Promise<PgBouncer> {
  const binary = findPgBouncer();
  const { serverHost = '127.0.0.1', user = 'postgres', password = '' } = options;
  if (!/^[\w.-]+$/.test(user) || /["\s]/.test(password) || !/^[\w.:-]+$/.test(serverHost)) {
    throw new Error('startPgBouncer: a user, password or host that cannot go in its ini file as it is');
  }
  const versionRun = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  const version = /PgBouncer\s+(\S+)/i.exec(versionRun.stdout ?? '')?.[1] ?? 'unknown';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-pgbouncer-'));
  const port = await freePort();
  const ini = path.join(dir, 'pgbouncer.ini');
  const userlist = path.join(dir, 'userlist.txt');
  fs.writeFileSync(userlist, `"${user}" "${password}"\n`);
  fs.writeFileSync(
    ini,
    [
      '[databases]',
      ...options.databases.map((db) => `${db} = host=${serverHost} port=${options.serverPort} dbname=${db}`),
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${userlist}`,
      'pool_mode = transaction',
      `default_pool_size = ${options.poolSize}`,
      'max_client_conn = 500',
      // The settings in docs/operations.md: the pg driver sends these two as startup parameters, which PgBouncer refuses
      // otherwise; the values come from the role on the server instead (ALTER ROLE … SET).
      'ignore_startup_parameters = statement_timeout,idle_in_transaction_session_timeout',
      `admin_users = ${user}`,
      '',
    ].join('\n'),
  );
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    for (const file of [dir, ini, userlist]) fs.chownSync(file, uid, gid);
  }
  const proc = spawn(binary, [...(asRoot ? ['-u', 'postgres'] : []), ini], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(proc);
  let out = '';
  const keep = (d: Buffer) => {
    out = (out + d.toString()).slice(-64 * 1024);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    proc.once('exit', () => {
      exited = true;
      running.delete(proc);
      resolve();
    }),
  );

  const pooler: PgBouncer = {
    port,
    version,
    url: (database) => `postgres://${user}@127.0.0.1:${port}/${database}`,
    log: () => out.slice(-6000),
    async stop() {
      if (!exited) {
        proc.kill('SIGINT');
        const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
        await exit;
        clearTimeout(timer);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };

  const started = Date.now();
  while (!(await accepts(port))) {
    if (exited || Date.now() - started > 15_000) {
      await pooler.stop();
      throw new Error(`PgBouncer ${version} (${binary}) did not start on port ${port}:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return pooler;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
