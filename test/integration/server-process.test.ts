// The real process: start-up messages an operator sees, readiness, and a clean exit on SIGTERM.
import { describe, expect, it } from 'vitest';
import { runNode, SERVER, type Exit } from '../../harness/bridge-process.ts';
import { freePort } from '../../harness/ports.ts';
import { authorization, emptyDatabase, testEnv } from '../support/bridge.ts';
import { validAdvice } from '../support/fixtures.ts';
import { writePolicyVariant } from '../support/policy.ts';

function runServer(env: NodeJS.ProcessEnv, until?: (out: string) => boolean, timeoutMs = 30_000): { done: Promise<Exit>; kill(signal: NodeJS.Signals): void } {
  const onStdout = (out: string) => {
    if (until?.(out)) until = undefined;
  };
  const server = runNode(SERVER, { env, killAfterMs: timeoutMs, onStdout });
  return { done: server.exited, kill: server.kill };
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
    const r = await runServer(testEnv(await emptyDatabase('s'))).done;
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('npm run migrate');
    noStackTrace(r.stdout + r.stderr);
  });

  it('migrates at start when asked, becomes ready, takes an advice, and shuts down cleanly on SIGTERM', async () => {
    const port = await freePort();
    const env = testEnv(await emptyDatabase('s'), {
      MIGRATE_ON_START: 'true',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'debug',
      SHUTDOWN_DRAIN_MS: '500', // the drain has its own test (shutdown-process.test.ts); here the stop itself
    });
    let listening: () => void = () => undefined;
    const isListening = new Promise<void>((r) => (listening = r));
    const server = runServer(env, (out) => (out.includes('Server listening') ? (listening(), true) : false), 60_000);
    await isListening;
    const base = `http://127.0.0.1:${port}`;
    await expect.poll(async () => (await fetch(`${base}/health/ready`)).status, { timeout: 20_000, interval: 250 }).toBe(200);
    const res = await fetch(`${base}/v1/advices`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...authorization('gcos') },
      body: JSON.stringify(validAdvice({ adviceId: 'PROC-1' })),
    });
    expect(res.status).toBe(202);
    server.kill('SIGTERM');
    const r = await server.done;
    expect(
      r.code,
      r.stdout
        .split('\n')
        .filter((l) => /"level":"(warn|error|fatal)"/.test(l))
        .join('\n') + r.stderr,
    ).toBe(0);
    expect(r.stdout).toContain('shut down cleanly');
    expect(r.stdout.split('\n').filter((l) => l.includes('open handles remain'))).toEqual([]); // every socket of ours was closed
    // Request bodies are never logged: nothing of the advice appears in the output.
    expect(r.stdout).not.toContain('Synthetisch');
    expect(r.stdout).not.toContain((validAdvice()['subject'] as { bsn: string }).bsn);
  });
});
