import type { Cluster } from './cluster';
import { summarise, waitUntil, type Load, type Sample, type Summary } from './load';
import type { ServerProcess } from './server';

// The invariants every fault scenario ends with (docs/security.md#i4 and #i5): the process is alive unless it was
// stopped on purpose, no response was a 500 (or any 5xx but 503), every 503 carried Retry-After, and, when the
// fault has cleared, the app serves normally again within 10 s without a restart.

export const RECOVERY_LIMIT_MS = 10_000;

/** Throw one error listing every broken invariant, with the server's and the database's output to debug it. */
export function checkInvariants(
  scenario: string,
  samples: Sample[],
  context: {
    server: ServerProcess;
    cluster: Cluster;
    expectAlive?: boolean;
    /** Requests refused or reset are expected only when the server is shutting down on purpose. */
    allowNetworkErrors?: boolean;
  },
): Summary {
  const { server, cluster, expectAlive = true, allowNetworkErrors = false } = context;
  const summary = summarise(samples);
  const problems: string[] = [];
  if (expectAlive && !server.alive()) problems.push('the server process exited');
  const serverErrors = samples.filter((s) => s.status >= 500 && s.status !== 503);
  if (serverErrors.length > 0) {
    problems.push(
      `${serverErrors.length} responses were server errors: ${describe(serverErrors.slice(0, 5))}`,
    );
  }
  const bare503 = samples.filter((s) => s.status === 503 && !/^\d+$/.test(s.retryAfter ?? ''));
  if (bare503.length > 0)
    problems.push(`${bare503.length} 503 responses had no Retry-After: ${describe(bare503.slice(0, 5))}`);
  const networkErrors = samples.filter((s) => s.status === 0);
  if (!allowNetworkErrors && networkErrors.length > 0) {
    problems.push(
      `${networkErrors.length} requests got no HTTP answer (refused, reset or hung): ${describe(networkErrors.slice(0, 5))}`,
    );
  }
  if (summary.total === 0) problems.push('the load client recorded no responses at all');
  if (problems.length > 0) {
    throw new Error(
      `${scenario}: invariants broken:\n  - ${problems.join('\n  - ')}\nresponses: ${JSON.stringify(summary.byStatus)}\n` +
        `--- server output (tail, without its 503 access lines) ---\n${quietOutput(server)}\n--- PostgreSQL log (tail) ---\n${cluster.log()}`,
    );
  }
  return summary;
}

function quietOutput(server: ServerProcess): string {
  return server
    .output()
    .split('\n')
    .filter((line) => !line.includes('failed with status code 503'))
    .join('\n')
    .slice(-6000);
}

function describe(samples: Sample[]): string {
  return samples
    .map((s) => `${s.target} → ${s.status || s.error} after ${s.endedAt - s.startedAt} ms`)
    .join('; ');
}

/**
 * Wait until the app serves normally after a fault cleared at `since`: 20 answers in a row (in the order they
 * arrived, every one sent after `since`) that are all 200. Answers the milliseconds from `since` to the first of
 * them being sent, or throws after the recovery limit.
 */
export async function servesNormallyAgain(load: Load, since: number): Promise<number> {
  let firstOfRun = 0;
  await waitUntil(
    `20 normal answers in a row within ${RECOVERY_LIMIT_MS} ms of the fault clearing`,
    () => {
      const last = load.samples.slice(-20);
      if (last.length < 20 || !last.every((s) => s.startedAt >= since && s.status === 200)) return false;
      firstOfRun = Math.min(...last.map((s) => s.startedAt));
      return true;
    },
    RECOVERY_LIMIT_MS,
  );
  return firstOfRun - since;
}
