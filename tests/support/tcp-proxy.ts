// A TCP proxy the test controls, put between the stack and a real server (Postgres) so that an
// outage can be staged without touching the machine's shared service: `cut()` drops every
// connection and refuses new ones (ECONNREFUSED), `hang()` accepts and never answers (timeouts),
// `restore()` forwards again.
import { createServer, connect, type Server, type Socket } from 'node:net';

export type ProxyMode = 'forward' | 'refuse' | 'hang';

export interface TcpProxy {
  port: number;
  url(targetUrl: string): string;
  mode(): ProxyMode;
  cut(): Promise<void>;
  hang(): void;
  restore(): Promise<void>;
  stop(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }, listenPort = 0): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let mode: ProxyMode = 'forward';
  let server: Server | null = null;
  let port = listenPort;

  const listen = () => new Promise<void>((resolve, reject) => {
    const next = createServer((client) => {
      sockets.add(client);
      client.on('close', () => sockets.delete(client));
      client.on('error', () => client.destroy());
      if (mode === 'hang') return; // accepted, never answered
      const upstream = connect(target.port, target.host);
      sockets.add(upstream);
      upstream.on('close', () => { sockets.delete(upstream); client.destroy(); });
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
      client.pipe(upstream).pipe(client);
    });
    next.once('error', reject);
    next.listen(port, '127.0.0.1', () => {
      server = next;
      port = (next.address() as { port: number }).port;
      resolve();
    });
  });
  const close = async () => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    const current = server;
    server = null;
    if (current) await new Promise<void>((resolve) => current.close(() => resolve()));
  };
  await listen();

  return {
    get port() { return port; },
    url(targetUrl: string) {
      const url = new URL(targetUrl);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      return url.toString();
    },
    mode: () => mode,
    async cut() {
      mode = 'refuse';
      await close();
    },
    hang() {
      mode = 'hang';
      for (const socket of sockets) socket.destroy();
    },
    async restore() {
      mode = 'forward';
      if (!server) await listen();
    },
    stop: close,
  };
}
