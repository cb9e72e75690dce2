// The stack the bench drives: a fresh database (migrated), a clients file with one GCOS client, and the bridge
// as a child process started from the project's own entry (src/server.ts), on the real broker.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createToken } from '../src/auth/tokens.ts';
import { freePort } from '../chaos/processes.ts';
import { createLogger } from '../src/logger.ts';
import { migrate } from '../src/store/migrate.ts';
import { createPool } from '../src/store/pool.ts';

const SERVER = fileURLToPath(new URL('../src/server.ts', import.meta.url));
/** The issuer of schemas/examples/advice.valid.json: the bench client submits in its name. */
export const BENCH_OIN = '00000001823288444000';

export interface Stack {
  runId: string;
  serverUrl: string;
  brokers: string;
  topicPrefix: string;
  token: string;
  clientsFile: string;
  dir: string;
  remove(): void;
}

export async function prepareStack(serverUrl: string, brokers: string): Promise<Stack> {
  const runId = `b${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'bridge-bench-'));
  // A cheap scrypt cost: the bridge caches a verified token, so only the first request pays it anyway.
  const { token, hashLine } = await createToken({ log2N: 14, r: 8, p: 1 });
  const clientsFile = join(dir, 'clients.json');
  writeFileSync(clientsFile, JSON.stringify({ clients: [{ id: 'bench-gcos', organisation: { oin: BENCH_OIN, name: 'Bench' }, roles: ['submit-advice'], tokens: [hashLine] }] }), { mode: 0o600 });
  return { runId, serverUrl, brokers, topicPrefix: `${runId}.`, token, clientsFile, dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function databaseUrl(serverUrl: string, name: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A new, migrated database for one scenario; dropped by `dropDatabase`. */
export async function freshDatabase(stack: Stack, scenario: string): Promise<string> {
  const name = `${stack.runId}_${scenario}`;
  await adminQuery(stack.serverUrl, `CREATE DATABASE ${name}`);
  const url = databaseUrl(stack.serverUrl, name);
  const logger = createLogger('warn');
  const pool = createPool({ databaseUrl: url }, logger);
  try {
    await migrate(pool, logger);
  } finally {
    await pool.end();
  }
  return url;
}

export async function dropDatabase(stack: Stack, url: string): Promise<void> {
  await adminQuery(stack.serverUrl, `DROP DATABASE IF EXISTS ${new URL(url).pathname.slice(1)} WITH (FORCE)`);
}

async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: serverUrl });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

export interface BridgeProcess {
  pid: number;
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts src/server.ts with the bench's settings; resolves once /health/ready answers 200. */
export async function startBridge(stack: Stack, databaseUrlValue: string, opts: { cpuProfileDir?: string | undefined; env?: Record<string, string> } = {}): Promise<BridgeProcess> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    DATABASE_URL: databaseUrlValue,
    KAFKA_BROKERS: stack.brokers,
    KAFKA_TOPIC_PREFIX: stack.topicPrefix,
    BRIDGE_OIN: '00000009999999999000',
    PSEUDONYM_KEY: 'bench-only-pseudonym-secret-0123456789abcdef',
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    CLIENTS_FILE: stack.clientsFile,
    // The bench measures the work, not the guards against abuse: no rate limit and no shedding.
    RATE_LIMIT_PER_MINUTE: '0',
    SHED_EVENT_LOOP_DELAY_MS: '0',
    SHED_DB_WAITING: '0',
    JOBS_ENABLED: 'false',
    INBOUND_ENABLED: 'false',
    ...opts.env,
  };
  const args = opts.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfileDir}`, SERVER] : [SERVER];
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  // A bench that dies (an uncaught error) must not leave its bridge running on the machine.
  const orphanGuard = () => child.kill('SIGKILL');
  process.once('exit', orphanGuard);
  child.once('exit', () => process.off('exit', orphanGuard));
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the bridge exited at start (${child.exitCode}): ${stderr}`);
    const ok = await fetch(`${url}/health/ready`).then((r) => r.status === 200, () => false);
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the bridge did not become ready: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    pid: child.pid!,
    url,
    child,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
