// One bridge replica: src/server.ts as a child process on its own port, its log in the harness's folder.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exited, freePort, own, sleep } from './processes.ts';

const SERVER = fileURLToPath(new URL('../src/server.ts', import.meta.url));

export class Replica {
  readonly name: string;
  readonly port: number;
  readonly logFile: string;
  private readonly env: NodeJS.ProcessEnv;
  private child: ChildProcess | undefined;
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
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(timeoutMs = 60_000): Promise<void> {
    if (this.running) return;
    const out = createWriteStream(this.logFile, { flags: 'a' });
    // process.execPath: the Node 24 that runs the harness (npm puts it first on PATH), not the machine's node.
    const child = own(spawn(process.execPath, [SERVER], { env: { ...this.env, PORT: String(this.port) }, stdio: ['ignore', 'pipe', 'pipe'] }));
    child.stdout?.pipe(out);
    child.stderr?.pipe(out);
    this.expectingExit = false;
    child.once('exit', (code, signal) => this.exits.push({ code, signal, expected: this.expectingExit }));
    this.child = child;
    const started = Date.now();
    while (Date.now() - started < timeoutMs) {
      if (!this.running) throw new Error(`replica ${this.name} exited during start: ${this.tail()}`);
      try {
        if ((await fetch(`${this.base}/health/live`)).ok) return;
      } catch {
        // not listening yet
      }
      await sleep(200);
    }
    throw new Error(`replica ${this.name} did not start in time`);
  }

  /** SIGTERM: graceful shutdown (waits for the exit). SIGKILL: a crash. */
  async stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.expectingExit = true;
    child.kill(signal);
    await exited(child);
    this.child = undefined;
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
    if (!this.child?.pid) return undefined;
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.child.pid}/status`, 'utf8'));
      return m ? Number(m[1]) * 1024 : undefined;
    } catch {
      return undefined;
    }
  }
}
