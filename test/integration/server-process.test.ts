// The real process: start-up messages an operator sees, readiness, and a clean exit on SIGTERM.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { adminQuery, databaseUrl } from '../support/pg-admin.ts';
import { authorization, testEnv } from '../support/bridge.ts';
import { validAdvice } from '../support/fixtures.ts';
import { writePolicyVariant } from '../support/policy.ts';

const SERVER = fileURLToPath(new URL('../../src/server.ts', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runServer(env: NodeJS.ProcessEnv, until?: (out: string) => boolean, timeoutMs = 30_000): { done: Promise<Run>; kill(signal: NodeJS.Signals): void } {
  const child = spawn(process.execPath, [SERVER], { env: { PATH: process.env['PATH'], ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const done = new Promise<Run>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (until?.(stdout)) until = undefined;
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
  return { done, kill: (s) => child.kill(s) };
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function emptyDatabase(): Promise<string> {
  const name = `bridge_${inject('runId')}_s${randomBytes(3).toString('hex')}`;
  await adminQuery(inject('pgServerUrl'), `CREATE DATABASE ${name}`);
  return databaseUrl(inject('pgServerUrl'), name);
}

const noStackTrace = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);

describe('the server process', () => {
  it('names every missing variable in one message and exits, without a stack trace', async () => {
    const { done } = runServer({ PORT: 'x' });
    const r = await done;
    expect(r.code).toBe(78);
    for (const name of ['DATABASE_URL', 'KAFKA_BROKERS', 'BRIDGE_OIN', 'PSEUDONYM_KEY', 'PORT']) expect(r.stderr).toContain(name);
    noStackTrace(r.stderr + r.stdout);
  });

  it('refuses to start with a broken exchange policy, naming the place, without a stack trace', async () => {
    const policy = writePolicyVariant((p) => {
      p.kinds['advice']!.recipients['halt']!.fields['subject.bsm'] = 'keep';
    });
    const r = await runServer(testEnv('postgres://bridge@127.0.0.1:1/nowhere', { EXCHANGE_POLICY_FILE: policy })).done;
    expect(r.code).toBe(78);
    expect(r.stderr).toContain(`invalid exchange policy ${policy}`);
    expect(r.stderr).toMatch(/kinds\.advice\.recipients\.halt\.fields\["subject\.bsm"\] \(line \d+\): "subject\.bsm" is no field of advice\.v1\.json/);
    noStackTrace(r.stderr + r.stdout);
  });

  it('says clearly when the database cannot be reached, without the password', async () => {
    const env = testEnv('postgres://bridge:hunter2-secret@127.0.0.1:1/nowhere');
    const r = await runServer(env).done;
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('cannot reach the database at 127.0.0.1:1/nowhere');
    expect(r.stdout + r.stderr).not.toContain('hunter2-secret');
    noStackTrace(r.stdout + r.stderr);
  });

  it('says how to migrate a database that is not migrated', async () => {
    const r = await runServer(testEnv(await emptyDatabase())).done;
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('npm run migrate');
    noStackTrace(r.stdout + r.stderr);
  });

  it('migrates at start when asked, becomes ready, takes an advice, and shuts down cleanly on SIGTERM', async () => {
    const port = await freePort();
    const env = testEnv(await emptyDatabase(), { MIGRATE_ON_START: 'true', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'debug' });
    let listening: () => void = () => undefined;
    const isListening = new Promise<void>((r) => (listening = r));
    const server = runServer(env, (out) => (out.includes('Server listening') ? (listening(), true) : false), 60_000);
    await isListening;
    const base = `http://127.0.0.1:${port}`;
    await expect.poll(async () => (await fetch(`${base}/health/ready`)).status, { timeout: 20_000, interval: 250 }).toBe(200);
    const res = await fetch(`${base}/v1/advices`, { method: 'POST', headers: { 'content-type': 'application/json', ...authorization('gcos') }, body: JSON.stringify(validAdvice({ adviceId: 'PROC-1' })) });
    expect(res.status).toBe(202);
    server.kill('SIGTERM');
    const r = await server.done;
    expect(r.code, r.stdout.split('\n').filter((l) => /"level":"(warn|error|fatal)"/.test(l)).join('\n') + r.stderr).toBe(0);
    expect(r.stdout).toContain('shut down cleanly');
    expect(r.stdout.split('\n').filter((l) => l.includes('open handles remain'))).toEqual([]); // every socket of ours was closed
    // Request bodies are never logged: nothing of the advice appears in the output.
    expect(r.stdout).not.toContain('Synthetisch');
    expect(r.stdout).not.toContain((validAdvice()['subject'] as { bsn: string }).bsn);
  });
});
