import net from 'node:net';

// A TCP proxy on 127.0.0.1 between the app and PostgreSQL (docs/security.md#f4), to break the network rather than
// the database: it can add latency to every chunk in both directions, black-hole (accept connections and read
// their bytes, but forward nothing, like a dropped route), and reset every connection it carries.

export type Proxy = {
  readonly port: number;
  /** Delay each chunk, in each direction, by this many milliseconds (order is kept). */
  setLatency(ms: number): void;
  /** On: nothing more is forwarded, in either direction, and new connections are accepted but never connected. */
  setBlackHole(on: boolean): void;
  /** Reset (RST) every connection, client side and server side. Answers how many client connections it reset. */
  resetAll(): number;
  /** Connections accepted so far. */
  accepted(): number;
  close(): Promise<void>;
};

export async function startProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<Proxy> {
  let latencyMs = 0;
  let blackHole = false;
  let accepted = 0;
  const pairs = new Set<{ client: net.Socket; upstream?: net.Socket }>();

  /** Forward chunks from `from` to `to` after the current latency, in order; drop them while black-holed. */
  const forward = (from: net.Socket, to: () => net.Socket | undefined) => {
    let lastDue = 0;
    from.on('data', (chunk: Buffer) => {
      if (blackHole) return;
      const due = Math.max(Date.now() + latencyMs, lastDue);
      lastDue = due;
      const write = () => {
        const target = to();
        if (!blackHole && target && !target.destroyed) target.write(chunk);
      };
      if (due <= Date.now()) write();
      else setTimeout(write, due - Date.now());
    });
  };

  const server = net.createServer((client) => {
    accepted += 1;
    const pair: { client: net.Socket; upstream?: net.Socket } = { client };
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      if (!client.destroyed) client.destroy();
      if (pair.upstream && !pair.upstream.destroyed) pair.upstream.destroy();
    };
    client.on('error', end);
    client.on('close', end);
    forward(client, () => pair.upstream);
    if (blackHole) return; // accepted, never connected: the client waits for a server greeting that never comes
    const upstream = net.connect(targetPort, targetHost);
    pair.upstream = upstream;
    upstream.on('error', end);
    upstream.on('close', end);
    forward(upstream, () => client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    port,
    setLatency: (ms) => {
      latencyMs = ms;
    },
    setBlackHole: (on) => {
      blackHole = on;
    },
    resetAll() {
      const n = pairs.size;
      for (const pair of [...pairs]) {
        pair.client.resetAndDestroy();
        pair.upstream?.resetAndDestroy();
      }
      return n;
    },
    accepted: () => accepted,
    async close() {
      for (const pair of [...pairs]) {
        pair.client.destroy();
        pair.upstream?.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
