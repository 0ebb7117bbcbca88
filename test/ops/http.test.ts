import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { startOpsServer } from '../../src/ops/http.js';

describe('ops endpoints', () => {
  it('answers /healthz, /readyz (503 until ready), /metrics and 404 otherwise', async () => {
    let ready = false;
    const server = await startOpsServer(
      new Registry(),
      { live: () => true, ready: () => ready },
      0,
      '127.0.0.1',
    );
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect((await fetch(`${base}/readyz`)).status).toBe(503);
      ready = true;
      const r = await fetch(`${base}/readyz?x=1`);
      expect(r.status).toBe(200);
      expect(await r.json()).toEqual({ status: 'ok' });
      expect((await fetch(`${base}/metrics`)).headers.get('content-type')).toMatch(/text\/plain/);
      expect((await fetch(`${base}/nope`)).status).toBe(404);
    } finally {
      await new Promise((done) => server.close(done));
    }
  });
});
