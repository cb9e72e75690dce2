// A Kafka broker of the test's own, on free ports, as a child process the test can stop, kill, freeze and
// restart (the shared broker must stay up for the other test files). Uses scripts/kafka.sh, so it needs Java and
// Maven like CI; keeps its data across restarts, like a real broker.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export class PrivateBroker {
  readonly port: number;
  readonly controllerPort: number;
  readonly stateDir: string;
  private child: ChildProcess | undefined;

  private constructor(port: number, controllerPort: number) {
    this.port = port;
    this.controllerPort = controllerPort;
    this.stateDir = `${ROOT}.local/test-brokers/${port}`;
  }

  static async create(): Promise<PrivateBroker> {
    const b = new PrivateBroker(await freePort(), await freePort());
    rmSync(b.stateDir, { recursive: true, force: true });
    return b;
  }

  get brokers(): string {
    return `127.0.0.1:${this.port}`;
  }

  async start(timeoutMs = 90_000): Promise<void> {
    if (this.child) return;
    const child = spawn('bash', [`${ROOT}scripts/kafka.sh`, 'run'], {
      env: { ...process.env, KAFKA_PORT: String(this.port), KAFKA_CONTROLLER_PORT: String(this.controllerPort), KAFKA_STATE_DIR: this.stateDir, KAFKA_HEAP: '384m' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    this.child = child;
    const log = `${this.stateDir}/logs/server.log`;
    const startedAt = Date.now();
    // The log is appended across restarts: count the "started" lines present before this start.
    const before = existsSync(log) ? (readFileSync(log, 'utf8').match(/Kafka Server started/g) ?? []).length : 0;
    while (Date.now() - startedAt < timeoutMs) {
      if (child.exitCode !== null) throw new Error(`private broker exited with ${child.exitCode}`);
      if (existsSync(log) && (readFileSync(log, 'utf8').match(/Kafka Server started/g) ?? []).length > before) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('private broker did not start in time');
  }

  /** Stops the broker: SIGTERM is a clean shutdown, SIGKILL a crash. */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    if (child.exitCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }

  freeze(): void {
    this.child?.kill('SIGSTOP');
  }

  thaw(): void {
    this.child?.kill('SIGCONT');
  }

  async destroy(): Promise<void> {
    await this.stop('SIGKILL');
    rmSync(this.stateDir, { recursive: true, force: true });
  }
}
