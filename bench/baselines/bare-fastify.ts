// Starts and stops B3 (bare-fastify-server.ts) as a child process, as the bridge runs.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../chaos/processes.ts';

const SERVER = fileURLToPath(new URL('./bare-fastify-server.ts', import.meta.url));

export async function startBareFastify(): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(process.execPath, [SERVER], { env: { PATH: process.env['PATH'], PORT: String(port) }, stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const up = await fetch(`${url}/v1/advices`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).then((r) => r.status === 202, () => false);
    if (up) break;
    if (i > 100 || child.exitCode !== null) throw new Error('bare Fastify did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, pid: child.pid!, stop: async () => void (child.kill('SIGTERM'), await exited) };
}
