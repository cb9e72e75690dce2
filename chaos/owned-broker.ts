// A Kafka broker of the harness's own (scripts/kafka.sh run, KRaft, one node) on free ports with its state in a
// temporary folder, as a child process the harness can SIGKILL, SIGSTOP and SIGCONT. In the harness it advertises
// the proxy's port, so every client (bridge replicas and the checker) reaches it through the TCP proxy; a test
// that only needs a broker it may stop (test/integration/relay/broker-outage.test.ts) lets it advertise its own.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../harness/ports.ts';
import { exited, own, ownFolder, releaseFolder, sleep } from '../harness/processes.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const STARTED = /Kafka Server started/g;

export class OwnedBroker {
  readonly port: number;
  readonly controllerPort: number;
  readonly advertisedPort: number;
  readonly stateDir: string;
  /** More scripts/kafka.sh settings (KAFKA_NODE_ID, KAFKA_QUORUM_VOTERS, ...) for a node of a replicated cluster. */
  settings: Record<string, string> = {};
  private child: ChildProcess | undefined;

  private constructor(port: number, controllerPort: number, advertisedPort: number, stateDir: string) {
    this.port = port;
    this.controllerPort = controllerPort;
    this.advertisedPort = advertisedPort;
    this.stateDir = stateDir;
  }

  static async create(advertisedPort?: number): Promise<OwnedBroker> {
    const fetched = spawnSync('bash', [`${ROOT}scripts/kafka.sh`, 'fetch'], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 300_000 });
    if (fetched.status !== 0) throw new Error('scripts/kafka.sh fetch failed (needs Java 17+ and Maven)');
    const port = await freePort();
    return new OwnedBroker(port, await freePort(), advertisedPort ?? port, ownFolder(mkdtempSync(join(tmpdir(), 'chaos-kafka-'))));
  }

  /** What clients connect to: the advertised address. */
  get brokers(): string {
    return `127.0.0.1:${this.advertisedPort}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  private startedCount(): number {
    const log = join(this.stateDir, 'logs', 'server.log');
    return existsSync(log) ? (readFileSync(log, 'utf8').match(STARTED) ?? []).length : 0;
  }

  async start(timeoutMs = 120_000): Promise<void> {
    if (this.child) return;
    const before = this.startedCount(); // the log is appended across restarts
    const env = {
      ...process.env,
      KAFKA_PORT: String(this.port),
      KAFKA_CONTROLLER_PORT: String(this.controllerPort),
      KAFKA_ADVERTISED_PORT: String(this.advertisedPort),
      KAFKA_STATE_DIR: this.stateDir,
      KAFKA_HEAP: process.env['CHAOS_KAFKA_HEAP'] ?? '384m',
      ...this.settings,
    };
    // What the node prints goes to a file in its folder: the reason when it exits at start is in it.
    const out = openSync(join(this.stateDir, 'run.log'), 'a');
    const child = own(spawn('bash', [`${ROOT}scripts/kafka.sh`, 'run'], { env, stdio: ['ignore', out, out] }));
    closeSync(out);
    this.child = child;
    const started = Date.now();
    while (Date.now() - started < timeoutMs) {
      if (child.exitCode !== null) {
        this.child = undefined;
        throw new Error(`owned broker on port ${this.port} (controller ${this.controllerPort}) exited with ${child.exitCode}:\n${this.lastLines()}`);
      }
      if (this.startedCount() > before) return;
      await sleep(250);
    }
    throw new Error('owned broker did not start in time');
  }

  /** The end of what the node printed and of its server log, for an error message. */
  private lastLines(): string {
    const tail = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-15).join('\n') : '');
    return [tail(join(this.stateDir, 'run.log')), tail(join(this.stateDir, 'logs', 'server.log'))].filter(Boolean).join('\n---\n');
  }

  /** SIGKILL: a crash, nothing flushed beyond the page cache. SIGTERM: a clean shutdown. */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    child.kill('SIGCONT'); // a frozen broker cannot act on SIGTERM
    child.kill(signal);
    await exited(child);
  }

  freeze(): void {
    this.child?.kill('SIGSTOP');
  }

  thaw(): void {
    this.child?.kill('SIGCONT');
  }

  async destroy(): Promise<void> {
    await this.stop('SIGKILL');
    releaseFolder(this.stateDir);
  }
}
