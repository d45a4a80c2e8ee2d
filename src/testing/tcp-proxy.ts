import net from 'node:net';

/**
 * A TCP proxy in front of the shared PostgreSQL or Redis that a test can cut and restore, so a process
 * sees its service go away without anyone stopping the machine's shared servers.
 *
 * - `refuse()`: stops listening and drops every open connection: new connections get ECONNREFUSED,
 *   as when the server is down.
 * - `blackhole()`: accepts connections but never answers (and drops open ones): a network partition,
 *   the case where only client-side timeouts end a request.
 * - `forward()`: passes bytes to the target again (on the same port).
 */
export async function startTcpProxy(target: { host: string; port: number }, opts: { mode?: 'forward' | 'refuse' | 'blackhole' } = {}) {
  let mode = opts.mode ?? 'forward';
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
  };
  const server = net.createServer((client) => {
    track(client);
    if (mode !== 'forward') return; // blackhole: hold the socket, say nothing
    const upstream = net.connect(target.port, target.host);
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const dropAll = () => {
    for (const s of sockets) s.destroy();
  };
  await listen(0);
  const port = (server.address() as net.AddressInfo).port;
  if (mode === 'refuse') await new Promise<void>((r) => server.close(() => r()));

  return {
    port,
    /** The target URL with host and port replaced by the proxy's. */
    urlFor(url: string) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    async forward() {
      const wasListening = server.listening;
      dropAll();
      mode = 'forward';
      if (!wasListening) await listen(port);
    },
    async refuse() {
      mode = 'refuse';
      dropAll();
      if (server.listening) await new Promise<void>((r) => server.close(() => r()));
    },
    async blackhole() {
      const wasListening = server.listening;
      mode = 'blackhole';
      dropAll();
      if (!wasListening) await listen(port);
    },
    async close() {
      mode = 'refuse';
      dropAll();
      if (server.listening) await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
