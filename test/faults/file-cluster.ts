import { createClusterWithPortalDatabase, type Cluster, type ClusterOptions } from './cluster';
import type { Load } from './load';
import type { ServerProcess } from './server';

export type FileCluster = {
  /** The file's throwaway cluster, with an empty `portal` database: created before its first test. */
  readonly cluster: Cluster;
  /** Load clients started by a test: stopped first when the file ends. */
  readonly loads: Load[];
  /** A server started by a test, returned as it is: stopped (SIGTERM, then SIGKILL after 5 s) when the file ends. */
  started(server: ServerProcess): ServerProcess;
  /** Anything else a test opened (a client, a proxy, a pool): closed after the servers, its errors ignored. */
  atEnd(close: () => Promise<unknown>): void;
};

/**
 * The set-up and teardown most fault-test files share: one cluster for the file, and everything its scenarios
 * started stopped when it ends, even after a failure (loads, then servers, then the rest, then the cluster).
 */
export function useFileCluster(options: ClusterOptions = {}): FileCluster {
  let cluster: Cluster | undefined;
  const loads: Load[] = [];
  const servers: ServerProcess[] = [];
  const closers: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    cluster = await createClusterWithPortalDatabase(options);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(loads.splice(0).map((l) => l.stop()));
    await Promise.all(servers.splice(0).map((s) => s.stop(5000)));
    for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
    await cluster?.destroy();
  }, 30_000);

  return {
    get cluster() {
      if (!cluster) throw new Error('the cluster is created in beforeAll: use it inside a test');
      return cluster;
    },
    loads,
    started(server) {
      servers.push(server);
      return server;
    },
    atEnd(close) {
      closers.push(close);
    },
  };
}
