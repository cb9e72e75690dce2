// The stack the bench drives: a fresh database (migrated), a clients file with one GCOS client, and the bridge
// as a child process started from the project's own entry (src/server.ts), on the real broker. bench:ab loads this
// file from another checkout too, so its exports keep their names and signatures.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBridgeProcess } from '../harness/bridge-process.ts';
import { createDatabase, dropDatabase as dropNamedDatabase } from '../harness/database.ts';
import { databaseName } from '../harness/pg-admin.ts';
import { createToken } from '../src/auth/tokens.ts';

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
  writeFileSync(
    clientsFile,
    JSON.stringify({ clients: [{ id: 'bench-gcos', organisation: { oin: BENCH_OIN, name: 'Bench' }, roles: ['submit-advice'], tokens: [hashLine] }] }),
    { mode: 0o600 },
  );
  return { runId, serverUrl, brokers, topicPrefix: `${runId}.`, token, clientsFile, dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A new, migrated database for one scenario; dropped by `dropDatabase`. */
export async function freshDatabase(stack: Stack, scenario: string): Promise<string> {
  return createDatabase(stack.serverUrl, `${stack.runId}_${scenario}`, { migrate: true });
}

export async function dropDatabase(stack: Stack, url: string): Promise<void> {
  await dropNamedDatabase(stack.serverUrl, databaseName(url));
}

export interface BridgeProcess {
  pid: number;
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts src/server.ts with the bench's settings; resolves once /health/ready answers 200. */
export async function startBridge(
  stack: Stack,
  databaseUrlValue: string,
  opts: { cpuProfileDir?: string | undefined; env?: Record<string, string> } = {},
): Promise<BridgeProcess> {
  const env: NodeJS.ProcessEnv = {
    DATABASE_URL: databaseUrlValue,
    KAFKA_BROKERS: stack.brokers,
    KAFKA_TOPIC_PREFIX: stack.topicPrefix,
    BRIDGE_OIN: '00000009999999999000',
    PSEUDONYM_KEY: 'bench-only-pseudonym-secret-0123456789abcdef',
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
  const nodeArgs = opts.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfileDir}`] : [];
  // Only the end of the output is kept: enough to say why a start failed, not a whole run's warnings.
  const bridge = await startBridgeProcess({ env, nodeArgs, keepChars: 4_000 });
  return { pid: bridge.pid, url: bridge.url, child: bridge.child, stop: async () => void (await bridge.stop('SIGTERM', 20_000)) };
}
