// The harness's TCP proxy: bytes pass in order (also delayed), and reset and drop end the connections.
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TcpProxy } from '../../../chaos/tcp-proxy.ts';

let echo: Server;
let proxy: TcpProxy;

beforeAll(async () => {
  echo = createServer((s) => {
    s.on('error', () => undefined); // the proxy resets its upstream side too
    s.pipe(s);
  });
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', () => r()));
  proxy = await TcpProxy.listen({ host: '127.0.0.1', port: (echo.address() as { port: number }).port });
});
afterAll(async () => {
  await proxy.close();
  await new Promise((r) => echo.close(r));
});

function connect(): Promise<Socket> {
  return new Promise((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port: proxy.port }, () => resolve(s));
  });
}

function receive(s: Socket, bytes: number): Promise<string> {
  return new Promise((resolve) => {
    let got = '';
    s.on('data', (d: Buffer) => {
      got += d.toString();
      if (got.length >= bytes) resolve(got);
    });
  });
}

const ended = (s: Socket) => new Promise<void>((r) => s.once('close', () => r()));

describe('the chaos TCP proxy', () => {
  it('passes bytes both ways, and keeps their order across a switch from delay back to pass', async () => {
    proxy.setMode('pass');
    const s = await connect();
    const all = receive(s, 9);
    s.write('abc');
    proxy.setMode('delay', 100);
    s.write('def');
    proxy.setMode('pass');
    s.write('ghi');
    expect(await all).toBe('abcdefghi');
    s.destroy();
  });

  it('reset and drop end open connections', async () => {
    proxy.setMode('pass');
    const a = await connect();
    const aEnded = ended(a);
    a.on('error', () => undefined);
    proxy.setMode('reset');
    await aEnded;
    proxy.setMode('pass');
    const b = await connect();
    const bEnded = ended(b);
    b.on('error', () => undefined);
    proxy.setMode('drop');
    await bEnded;
    proxy.setMode('pass');
  });
});
