// Every process and temporary folder the harness makes is registered here, so that one call (from afterAll, a
// signal or the process's exit) ends them all, even when a scenario, a bench or a test fails half-way.
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

const children = new Set<ChildProcess>();
const folders = new Set<string>();
let hooked = false;

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  // 'exit' handlers must be synchronous: SIGKILL and rmSync are.
  process.on('exit', killEverything);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killEverything();
      process.exit(130);
    });
  }
}

export function own(child: ChildProcess): ChildProcess {
  hookExit();
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

export function ownFolder(path: string): string {
  hookExit();
  folders.add(path);
  return path;
}

export function releaseFolder(path: string): void {
  folders.delete(path);
  removeQuietly(path);
}

/** Keeps a folder on disk after the run (CHAOS_KEEP_LOGS), out of the clean-up. */
export function keepFolder(path: string): void {
  folders.delete(path);
}

function removeQuietly(path: string): void {
  try {
    // A process killed a moment ago may still be closing files in it: retry briefly, never throw from clean-up.
    rmSync(path, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  } catch (err) {
    process.stderr.write(`harness: could not remove ${path}: ${(err as Error).message}\n`);
  }
}

/** SIGKILLs what still runs (a frozen process too) and removes the folders. */
export function killEverything(): void {
  for (const c of children) {
    if (c.exitCode === null && c.signalCode === null && c.pid !== undefined) {
      try {
        process.kill(c.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  children.clear();
  for (const f of folders) removeQuietly(f);
  folders.clear();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Resolves when the process has exited (at once when it already has). */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((r) => child.once('exit', () => r()));
}
