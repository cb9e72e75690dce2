// SIGTERM on the real process (issue 21 item 6, decision 0106): readiness fails at once with a problem document,
// requests are still served during the drain, every answer from the signal on says `Connection: close`, a request
// received before the listener closes is answered after it, and the process exits 0.
import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { startBridgeProcess, type BridgeProcess } from '../../harness/bridge-process.ts';
import { authorization, freshDatabase, testEnv } from '../support/bridge.ts';
import { syntheticBsn, validAdvice } from '../support/fixtures.ts';
import { until } from '../support/until.ts';

let bridge: BridgeProcess | undefined;
let stdout = '';
afterAll(async () => {
  await bridge?.stop('SIGKILL');
});

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 4 });

/** A request whose body goes out only when `release` is called: received (headers) now, complete later. */
function held(base: string, path: string, body: string): { answer: Promise<Answer>; release(): void } {
  let release: () => void = () => undefined;
  const answer = new Promise<Answer>((resolve, reject) => {
    const req = request(
      `${base}${path}`,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...authorization('gcos') } },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.flushHeaders();
    release = () => req.end(body);
  });
  return { answer, release };
}

function post(base: string, path: string, body: unknown): Promise<Answer> {
  const h = held(base, path, JSON.stringify(body));
  h.release();
  return h.answer;
}

const logged = (text: string, timeoutMs = 10_000) =>
  until(
    async () => stdout,
    (s) => s.includes(text),
    timeoutMs,
  );

function get(base: string, path: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { agent }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('SIGTERM', () => {
  it('fails readiness at once, serves through the drain with Connection: close, answers the request in flight, exits 0', async () => {
    bridge = await startBridgeProcess({
      name: 'shutdown test',
      env: testEnv(await freshDatabase(), { SHUTDOWN_DRAIN_MS: '1500', SHUTDOWN_TIMEOUT_MS: '10000', LOG_LEVEL: 'info' }),
      onStdout: (out) => (stdout = out),
    });
    const base = bridge.url;
    expect((await get(base, '/health/ready')).status).toBe(200);
    // Received before the signal, its body completes only after the drain.
    const inFlight = held(base, '/v1/advices', JSON.stringify(validAdvice({ adviceId: 'STOP-IN-FLIGHT', bsn: syntheticBsn(801) })));
    await new Promise((r) => setTimeout(r, 500)); // its headers reach the server

    bridge.kill('SIGTERM');
    expect(await logged('shutting down')).toContain('shutting down');
    const ready = await get(base, '/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.headers['content-type']).toContain('application/problem+json');
    expect(ready.headers['connection']).toBe('close');
    expect(ready.headers['retry-after']).toBeDefined();
    expect(JSON.parse(ready.body)).toMatchObject({ code: 'BRIDGE_NOT_READY', checks: { shutdown: { status: 'failing' } } });

    // Still served during the drain.
    const during = await post(base, '/v1/advices', validAdvice({ adviceId: 'STOP-DURING', bsn: syntheticBsn(802) }));
    expect(during.status).toBe(202);
    expect(during.headers['connection']).toBe('close');

    expect(await logged('drained')).toContain('drained');
    inFlight.release();
    const last = await inFlight.answer;
    expect(last.status).toBe(202);
    expect(last.headers['connection']).toBe('close');

    const exit = await bridge.exited;
    expect(exit.code, bridge.tail(30)).toBe(0);
    expect(stdout).toContain('shut down cleanly');
  }, 90_000);
});
