// A real ClamAV daemon for the test suites and the benchmark, with the project's own signature database
// (.ci/clamav/db: the EICAR test file only; signatures cannot be downloaded on these machines).
//
// startClamd() uses CLAMD_SOCKET when it is already set (an operator's clamd, or an outer run's); otherwise it
// starts Debian's clamd on a Unix socket in a fresh temporary folder and sets CLAMD_SOCKET, which the test
// workers and child servers inherit. Without clamd on the machine it returns undefined and the app falls back to
// its development scanner, except under CI=true, where a missing clamd is an error: CI must scan for real.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');
const CANDIDATES = ['/usr/sbin/clamd', '/usr/bin/clamd', '/usr/local/sbin/clamd'];

function findClamd() {
  const onPath = spawnSync('sh', ['-c', 'command -v clamd'], { encoding: 'utf8' }).stdout.trim();
  return onPath || CANDIDATES.find((candidate) => fs.existsSync(candidate));
}

function ping(socketPath) {
  return new Promise((resolve) => {
    const socket = net.createConnection({ path: socketPath });
    let reply = '';
    socket.setTimeout(1000, () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', () => resolve(false));
    socket.on('data', (d) => (reply += d.toString()));
    socket.on('end', () => resolve(reply.replace(/\0/g, '').trim() === 'PONG'));
    socket.on('connect', () => socket.end('zPING\0'));
  });
}

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** A run that was killed (a timeout, Ctrl-C) never stopped its clamd: stop those whose owner has gone. */
function stopOrphans() {
  for (const name of fs.readdirSync(os.tmpdir())) {
    if (!name.startsWith('portal-clamd-')) continue;
    const dir = path.join(os.tmpdir(), name);
    try {
      const owner = Number(fs.readFileSync(path.join(dir, 'owner.pid'), 'utf8'));
      if (alive(owner)) continue;
      const pid = Number(fs.readFileSync(path.join(dir, 'clamd.pid'), 'utf8'));
      if (pid > 0 && alive(pid)) process.kill(pid, 'SIGTERM');
      fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      // not ours, or already gone
    }
  }
}

/** Starts clamd unless CLAMD_SOCKET is set; returns { socket, stop() } or undefined (no clamd here, not CI). */
async function startClamd() {
  if (process.env.CLAMD_SOCKET) return { socket: process.env.CLAMD_SOCKET, stop: async () => {} };
  const clamd = findClamd();
  if (!clamd) {
    if (process.env.CI === 'true') {
      throw new Error(
        'clamd is not installed: CI scans uploads with a real ClamAV (.ci/run installs clamav-daemon)',
      );
    }
    console.warn('clamd is not installed: upload tests use the development scanner (EICAR only)');
    return undefined;
  }
  stopOrphans();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-clamd-'));
  fs.writeFileSync(path.join(dir, 'owner.pid'), String(process.pid));
  const template = fs.readFileSync(path.join(root, '.ci/clamav/clamd.conf.template'), 'utf8');
  const conf = path.join(dir, 'clamd.conf');
  fs.writeFileSync(
    conf,
    template.replaceAll('@DB@', path.join(root, '.ci/clamav/db')).replaceAll('@RUN@', dir),
  );
  const started = spawnSync(clamd, ['-c', conf], { encoding: 'utf8' });
  const socket = path.join(dir, 'clamd.sock');
  const log = () =>
    fs.existsSync(path.join(dir, 'clamd.log')) ? fs.readFileSync(path.join(dir, 'clamd.log'), 'utf8') : '';
  for (let i = 0; i < 100 && !(await ping(socket)); i++) await new Promise((r) => setTimeout(r, 100));
  if (!(await ping(socket))) {
    throw new Error(`clamd did not start (exit ${started.status}): ${started.stderr}\n${log()}`);
  }
  process.env.CLAMD_SOCKET = socket;
  return {
    socket,
    async stop() {
      const pidFile = path.join(dir, 'clamd.pid');
      if (fs.existsSync(pidFile)) {
        const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          // already gone
        }
        for (let i = 0; i < 50; i++) {
          try {
            process.kill(pid, 0);
          } catch {
            break;
          }
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      delete process.env.CLAMD_SOCKET;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

module.exports = { startClamd };
