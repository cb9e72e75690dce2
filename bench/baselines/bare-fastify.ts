// Starts and stops B3 (bare-fastify-server.ts) as a child process, as the bridge runs.
import { fileURLToPath } from 'node:url';
import { runNode, untilReady } from '../../harness/bridge-process.ts';
import { freePort } from '../../harness/ports.ts';

const SERVER = fileURLToPath(new URL('./bare-fastify-server.ts', import.meta.url));

export async function startBareFastify(): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const port = await freePort();
  const child = runNode(SERVER, { env: { PORT: String(port) }, output: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  const up = async () => (await fetch(`${url}/v1/advices`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status === 202;
  await untilReady(child, up, { name: 'bare Fastify', timeoutMs: 10_000, pollMs: 100 });
  return { url, pid: child.pid, stop: async () => void (await child.stop('SIGTERM')) };
}
