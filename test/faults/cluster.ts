import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

// A private, throwaway PostgreSQL cluster for the fault suite, so stopping and crashing the database never touches
// the machine's shared server on 127.0.0.1:5432. Debian's server binaries live in /usr/lib/postgresql/<n>/bin;
// initdb refuses to run as root, so as root every server command runs as the `postgres` OS user.

const PG_ROOT = '/usr/lib/postgresql';

export type StopMode = 'smart' | 'fast' | 'immediate';

export type Cluster = {
  readonly port: number;
  readonly dir: string;
  /** postgres:// URL of a database in the cluster (as the `postgres` superuser, trust auth, loopback only). */
  url(database?: string): string;
  /** A connected superuser client; the caller ends it. */
  connect(database?: string): Promise<Client>;
  stop(mode: StopMode): Promise<void>;
  start(): Promise<void>;
  isRunning(): boolean;
  /** The tail of the server's own log, for failure messages. */
  log(): string;
  /** Stop (immediately) and delete every file. Safe to call twice. */
  destroy(): Promise<void>;
};

/** The newest installed server's bin directory, or a clear error saying what is missing. */
export function findPostgresBin(): string {
  const versions = fs.existsSync(PG_ROOT)
    ? fs
        .readdirSync(PG_ROOT)
        .filter((v) => fs.existsSync(path.join(PG_ROOT, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new Error(
      `The fault tests need the PostgreSQL server binaries (initdb, pg_ctl, postgres) under ${PG_ROOT}/*/bin ` +
        '(Debian package "postgresql"), and none were found. Install them, e.g. `apt-get install postgresql`.',
    );
  }
  return path.join(PG_ROOT, versions[0]!, 'bin');
}

type RunAs = { prefix: string[]; uid?: number; gid?: number };

/** As root, commands run as the `postgres` OS user (initdb refuses root); otherwise as ourselves. */
function runAs(): RunAs {
  if (process.getuid?.() !== 0) return { prefix: [] };
  const who = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const uid = Number(who.stdout.trim());
  const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
  if (who.status !== 0 || !Number.isInteger(uid) || !Number.isInteger(gid)) {
    throw new Error(
      'The fault tests run as root, and initdb refuses root, so they need the `postgres` OS user ' +
        '(created by the Debian "postgresql" package), which does not exist on this machine.',
    );
  }
  if (!fs.existsSync('/usr/sbin/runuser') && !fs.existsSync('/sbin/runuser')) {
    throw new Error(
      'The fault tests run as root and need `runuser` (util-linux) to run PostgreSQL as `postgres`.',
    );
  }
  return { prefix: ['runuser', '-u', 'postgres', '--'], uid, gid };
}

function run(as: RunAs, cwd: string, command: string, args: string[], timeoutMs = 60_000): Promise<string> {
  const [file, ...rest] = [...as.prefix, command, ...args];
  return new Promise((resolve, reject) => {
    // Asynchronous on purpose: the load client and probes keep running in this process while the database stops.
    execFile(file!, rest, { cwd, timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${command} ${args.join(' ')} failed: ${err.message}\n${stdout}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** A free port chosen at random in 54000–54999. */
export async function freeClusterPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 54000 + Math.floor(Math.random() * 1000);
    if (await portIsFree(port)) return port;
  }
  throw new Error('no free port in 54000-54999 for the private PostgreSQL cluster');
}

const liveClusters = new Set<{ pgCtl: string; data: string; dir: string; as: RunAs }>();
// Last resort if the test process dies without running afterAll: never leave a postmaster or files behind.
process.once('exit', () => {
  for (const c of liveClusters) {
    const [file, ...args] = [...c.as.prefix, c.pgCtl, '-D', c.data, '-m', 'immediate', 'stop'];
    spawnSync(file!, args, { cwd: c.dir, stdio: 'ignore', timeout: 10_000 });
    fs.rmSync(c.dir, { recursive: true, force: true });
  }
});

export type ClusterOptions = {
  /** Server settings passed as `-c name=value` (e.g. a low max_connections for F5); they override the defaults. */
  settings?: Record<string, string | number>;
};

/** initdb a new cluster in a temporary directory and start it on a random free port. */
export async function createCluster(clusterOptions: ClusterOptions = {}): Promise<Cluster> {
  const bin = findPostgresBin();
  const as = runAs();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-faults-pg-'));
  if (as.uid !== undefined && as.gid !== undefined) fs.chownSync(dir, as.uid, as.gid);
  const data = path.join(dir, 'data');
  const logFile = path.join(dir, 'server.log');
  const pgCtl = path.join(bin, 'pg_ctl');
  const handle = { pgCtl, data, dir, as };
  liveClusters.add(handle);
  let running = false;

  try {
    await run(as, dir, path.join(bin, 'initdb'), [
      '-D',
      data,
      '-A',
      'trust',
      '-U',
      'postgres',
      '--encoding=UTF8',
      '--locale=C',
      '--no-sync',
    ]);
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    liveClusters.delete(handle);
    throw err;
  }
  const port = await freeClusterPort();
  const settings: Record<string, string | number> = {
    max_connections: 60,
    // A throwaway cluster: durability is not what is under test, and fsync makes every commit slow.
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    ...clusterOptions.settings,
  };
  const options = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    `-c unix_socket_directories=${dir}`,
    ...Object.entries(settings).map(([name, value]) => `-c ${name}=${value}`),
  ].join(' ');

  const cluster: Cluster = {
    port,
    dir,
    url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
    async connect(database = 'postgres') {
      const client = new Client({ connectionString: cluster.url(database), application_name: 'fault-suite' });
      // An admin connection killed by a fault must not crash the test process.
      client.on('error', () => {});
      await client.connect();
      return client;
    },
    async start() {
      // -l: the postmaster must not inherit our pipes, or waiting for pg_ctl would wait for the server to exit.
      await run(as, dir, pgCtl, ['-D', data, '-l', logFile, '-o', options, '-w', '-t', '30', 'start']);
      running = true;
    },
    async stop(mode) {
      await run(as, dir, pgCtl, ['-D', data, '-m', mode, '-w', '-t', '30', 'stop']);
      running = false;
    },
    isRunning: () => running,
    log() {
      try {
        return fs.readFileSync(logFile, 'utf8').slice(-4000);
      } catch {
        return '';
      }
    },
    async destroy() {
      if (!liveClusters.has(handle)) return;
      try {
        if (running || fs.existsSync(path.join(data, 'postmaster.pid'))) await cluster.stop('immediate');
      } catch {
        /* already stopped */
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
        liveClusters.delete(handle);
      }
    },
  };
  try {
    await cluster.start();
  } catch (err) {
    const log = cluster.log();
    await cluster.destroy();
    throw new Error(`${err instanceof Error ? err.message : String(err)}\nserver log:\n${log}`, {
      cause: err,
    });
  }
  return cluster;
}

/** A throwaway cluster with an empty `portal` database in it, ready for a server to migrate. */
export async function createClusterWithPortalDatabase(clusterOptions: ClusterOptions = {}): Promise<Cluster> {
  const cluster = await createCluster(clusterOptions);
  const c = await cluster.connect();
  await c.query('create database portal');
  await c.end();
  return cluster;
}
