// One bridge replica: src/server.ts as a child process on its own port (kept across restarts), its log in the
// cluster's folder.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startBridgeProcess, type BridgeProcess } from '../harness/bridge-process.ts';
import { freePort } from '../harness/ports.ts';

export class Replica {
  readonly name: string;
  readonly port: number;
  readonly logFile: string;
  private readonly env: NodeJS.ProcessEnv;
  private process: BridgeProcess | undefined;
  /** Exit codes and signals of earlier runs of this replica, for the checker's "did it crash" question. */
  readonly exits: { code: number | null; signal: NodeJS.Signals | null; expected: boolean }[] = [];
  private expectingExit = false;

  private constructor(name: string, port: number, env: NodeJS.ProcessEnv, logDir: string) {
    this.name = name;
    this.port = port;
    this.env = env;
    this.logFile = join(logDir, `${name}.log`);
  }

  static async create(name: string, env: NodeJS.ProcessEnv, logDir: string): Promise<Replica> {
    return new Replica(name, await freePort(), env, logDir);
  }

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.process?.pid;
  }

  get running(): boolean {
    return this.process?.running() ?? false;
  }

  /** Asked to stop (SIGTERM sent) and not yet exited: an orchestrator has taken it out of the load balancer. */
  get stopping(): boolean {
    return this.expectingExit && this.running;
  }

  /** Started once it is live: during a fault it may be up but not ready, and the scenarios want it up. */
  async start(timeoutMs = 60_000): Promise<void> {
    if (this.running) return;
    this.expectingExit = false;
    this.process = await startBridgeProcess({
      name: `replica ${this.name}`,
      env: this.env,
      port: this.port,
      output: { file: this.logFile },
      readyPath: '/health/live',
      startTimeoutMs: timeoutMs,
      pollMs: 200,
      onExit: (code, signal) => this.exits.push({ code, signal, expected: this.expectingExit }),
    });
  }

  /** SIGTERM: graceful shutdown (waits for the exit). SIGKILL: a crash. */
  async stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
    const p = this.process;
    if (!p) return;
    this.expectingExit = true;
    await p.stop(signal);
    this.process = undefined;
  }

  /** Exits nobody asked for: a crash of the bridge. */
  unexpectedExits(): number {
    return this.exits.filter((e) => !e.expected).length;
  }

  tail(lines = 20): string {
    try {
      return readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  /** Resident memory in bytes, from /proc (Linux). */
  rssBytes(): number | undefined {
    if (!this.process) return undefined;
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.process.pid}/status`, 'utf8'));
      return m ? Number(m[1]) * 1024 : undefined;
    } catch {
      return undefined;
    }
  }
}
