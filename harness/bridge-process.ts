// Node child processes: the bridge (src/server.ts) and anything else run the same way (a baseline server, a bench
// run). Each starts with an environment of its own, its output captured, appended to a file or dropped, and is
// registered (processes.ts) so that none outlives the harness. The bridge gets a free port and counts as started
// once a health endpoint answers.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort } from './ports.ts';
import { own, sleep } from './processes.ts';

export const SERVER = fileURLToPath(new URL('../src/server.ts', import.meta.url));

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Empty unless the output was captured. */
  stdout: string;
  stderr: string;
}

export interface NodeOptions {
  /** The child's environment: PATH is added, nothing else of this process's is passed on. */
  env: NodeJS.ProcessEnv;
  /** Node's own flags (before the script), such as --cpu-prof. */
  nodeArgs?: string[];
  args?: string[];
  /** 'capture' (the default): stdout and stderr kept in memory; { file }: both appended to that file; 'ignore'. */
  output?: 'capture' | 'ignore' | { file: string };
  /** With 'capture': keep only the last this many characters of each, for a process that runs long. */
  keepChars?: number;
  /** Called with all of stdout so far at each new piece of it. */
  onStdout?: (stdout: string) => void;
  /** Called at the exit, before anything waiting for it resumes. */
  onExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
  /** SIGKILL when it still runs after this long. */
  killAfterMs?: number;
}

export interface NodeProcess {
  child: ChildProcess;
  pid: number;
  /** Resolves once the process has exited and its output is closed. */
  exited: Promise<Exit>;
  running(): boolean;
  /** The last lines of its output, for an error message. */
  tail(lines?: number): string;
  kill(signal: NodeJS.Signals): void;
  /** Sends the signal and waits for the exit; with killAfterMs, SIGKILL should it still run by then. */
  stop(signal?: NodeJS.Signals, killAfterMs?: number): Promise<Exit>;
}

const lastLines = (text: string, n: number) => text.trimEnd().split('\n').slice(-n).join('\n');

/** Runs a .ts (or .js) file with the Node that runs the harness. */
export function runNode(script: string, o: NodeOptions): NodeProcess {
  const output = o.output ?? 'capture';
  const stdio = output === 'ignore' ? 'ignore' : 'pipe';
  // process.execPath: the Node 24 that runs the harness (npm and npx put it first on PATH), not the machine's node.
  const child = own(
    spawn(process.execPath, [...(o.nodeArgs ?? []), script, ...(o.args ?? [])], {
      env: { PATH: process.env['PATH'], ...o.env },
      stdio: ['ignore', stdio, stdio],
    }),
  );
  let stdout = '';
  let stderr = '';
  const keep = (text: string) => (o.keepChars === undefined ? text : text.slice(-o.keepChars));
  if (typeof output === 'object') {
    // end: false on both, as the first stream to end would otherwise close the file under the other.
    const file = createWriteStream(output.file, { flags: 'a' });
    child.stdout?.pipe(file, { end: false });
    child.stderr?.pipe(file, { end: false });
    child.once('close', () => file.end());
  } else if (output === 'capture') {
    child.stdout?.on('data', (d: Buffer) => {
      stdout = keep(stdout + d.toString());
      o.onStdout?.(stdout);
    });
    child.stderr?.on('data', (d: Buffer) => (stderr = keep(stderr + d.toString())));
  }
  const timer = o.killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), o.killAfterMs);
  child.once('exit', (code, signal) => {
    clearTimeout(timer);
    o.onExit?.(code, signal);
  });
  // 'close', not 'exit': by then every byte of the output has been read.
  const exited = new Promise<Exit>((resolve) =>
    child.once('close', (code: number | null, signal: NodeJS.Signals | null) => resolve({ code, signal, stdout, stderr })),
  );
  const p: NodeProcess = {
    child,
    pid: child.pid!,
    exited,
    running: () => child.exitCode === null && child.signalCode === null,
    tail(lines = 20) {
      if (typeof output !== 'object') return [lastLines(stdout, lines), lastLines(stderr, lines)].filter(Boolean).join('\n');
      try {
        return lastLines(readFileSync(output.file, 'utf8'), lines);
      } catch {
        return '';
      }
    },
    kill: (signal) => void child.kill(signal),
    async stop(signal = 'SIGTERM', killAfterMs) {
      if (p.running()) child.kill(signal);
      const late = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      const exit = await exited;
      clearTimeout(late);
      return exit;
    },
  };
  return p;
}

/** Polls `probe` until it says yes. Throws when the process exits first, or kills it and throws when time runs out. */
export async function untilReady(p: NodeProcess, probe: () => Promise<boolean>, o: { name: string; timeoutMs: number; pollMs: number }): Promise<void> {
  const deadline = Date.now() + o.timeoutMs;
  for (;;) {
    if (!p.running()) {
      const exit = await p.exited;
      throw new Error(`${o.name} exited during start (${exit.code ?? exit.signal}): ${p.tail()}`);
    }
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) {
      p.kill('SIGKILL');
      throw new Error(`${o.name} did not start in time: ${p.tail()}`);
    }
    await sleep(o.pollMs);
  }
}

export interface BridgeOptions extends Omit<NodeOptions, 'args'> {
  /** Who it is, in error messages. */
  name?: string;
  /** Default: a free one. */
  port?: number;
  /** /health/ready (the default): able to take work; /health/live: up, whatever its dependencies are doing. */
  readyPath?: '/health/ready' | '/health/live';
  startTimeoutMs?: number;
  pollMs?: number;
}

export interface BridgeProcess extends NodeProcess {
  port: number;
  /** http://127.0.0.1:<port> */
  url: string;
}

/** Starts src/server.ts on 127.0.0.1 and resolves once its health endpoint answers 2xx. */
export async function startBridgeProcess(o: BridgeOptions): Promise<BridgeProcess> {
  const port = o.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const p = runNode(SERVER, { ...o, env: { HOST: '127.0.0.1', ...o.env, PORT: String(port) } });
  const probe = async () => (await fetch(`${url}${o.readyPath ?? '/health/ready'}`, { signal: AbortSignal.timeout(5_000) })).ok;
  await untilReady(p, probe, { name: o.name ?? 'the bridge', timeoutMs: o.startTimeoutMs ?? 60_000, pollMs: o.pollMs ?? 250 });
  return { ...p, port, url };
}
