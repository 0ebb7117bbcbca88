import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';

export interface Health {
  /** The process works (not stuck, not shutting down). */
  live(): boolean;
  /** It is part of the consumer group and can produce. */
  ready(): boolean;
}

/** /metrics (Prometheus text), /healthz and /readyz. */
export async function startOpsServer(
  registry: Pick<Registry, 'metrics' | 'contentType'>,
  health: Health,
  port: number,
  host: string,
): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/metrics') {
      registry
        .metrics()
        .then((text) => {
          res.writeHead(200, { 'content-type': registry.contentType });
          res.end(text);
        })
        .catch((err: Error) => {
          res.writeHead(500);
          res.end(err.message);
        });
      return;
    }
    if (path === '/healthz' || path === '/readyz') {
      const ok = path === '/healthz' ? health.live() : health.ready();
      res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: ok ? 'ok' : 'unavailable' }));
      return;
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
